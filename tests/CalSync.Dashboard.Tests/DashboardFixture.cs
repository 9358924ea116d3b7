extern alias worker;
using System.Net;
using CalSync.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CalSync.Dashboard.Tests;

/// <summary>
/// The Api on a real Kestrel port (the browser must reach it), a real worker host consuming the same RabbitMQ
/// virtual host and database (so runs really run), the in-process Google emulator, and Debian's chromium.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program> _api = null!;
    private WebApplicationFactory<worker::Program> _worker = null!;
    private IPlaywright _playwright = null!;

    public TestDatabase Database { get; } = new();
    public TestVirtualHost Broker { get; } = new();
    public GoogleSandbox Google { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Uri BaseUri { get; private set; } = null!;
    public IServiceProvider ApiServices => _api.Services;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await Broker.InitializeAsync();
        Google = await GoogleSandbox.StartAsync();

        var port = WorkerProcess.FreePort();
        BaseUri = new Uri($"http://127.0.0.1:{port}");
        _api = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            Configure(web);
            web.UseSetting("SignIn:AttemptsPerMinute", "1000000");
            web.ConfigureTestServices(s => s.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, PlantedFault>());
        });
        _api.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        _api.StartServer();

        _worker = new WebApplicationFactory<worker::Program>().WithWebHostBuilder(web =>
        {
            Configure(web);
            web.UseSetting("Dispatcher:Interval", "00:00:00.200");
        });
        _ = _worker.Services;

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/lib/chromium/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    private void Configure(Microsoft.AspNetCore.Hosting.IWebHostBuilder web)
    {
        foreach (var (key, value) in Google.Settings)
        {
            web.UseSetting(key, value);
        }
        web.UseSetting("Database:ConnectionString", Database.ConnectionString);
        web.UseSetting("Broker:Uri", Broker.Uri.ToString());
    }

    /// <summary>A fresh emulator account (its primary calendar comes with it).</summary>
    public string NewGoogleAccount(string name)
    {
        var email = $"{name}.{Guid.NewGuid().ToString("N")[..8]}@example.com";
        Google.Emulator.CreateAccount(email, name);
        return email;
    }

    /// <summary>A browser of its own (cookies and all), 360 px wide when asked, to prove the small screen works.</summary>
    public async Task<IPage> NewPageAsync(bool narrow = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUri.ToString(),
            ViewportSize = narrow ? new ViewportSize { Width = 360, Height = 800 } : new ViewportSize { Width = 1200, Height = 900 },
        });
        // ./test.sh runs every test project at once on two cores: a first page can take long to render. These are
        // bounds on waiting for what must happen, not timings under test.
        context.SetDefaultTimeout(120_000);
        context.SetDefaultNavigationTimeout(120_000);
        Assertions.SetDefaultExpectTimeout(60_000);
        return await context.NewPageAsync();
    }


    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await _worker.DisposeAsync();
        await _api.DisposeAsync();
        await Google.DisposeAsync();
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
    }
}
