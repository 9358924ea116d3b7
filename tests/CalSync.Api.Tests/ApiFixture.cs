using CalSync.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CalSync.Api.Tests;

/// <summary>The Api host on a fresh database, a private RabbitMQ virtual host and an in-process Google emulator.</summary>
public class ApiFixture : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    public TestVirtualHost Broker { get; } = new();

    public GoogleSandbox Google { get; private set; } = null!;

    public WebApplicationFactory<Program> Api { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await Broker.InitializeAsync();
        Google = await GoogleSandbox.StartAsync();
        Api = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            UseGoogle(web);
            web.UseSetting("Database:ConnectionString", Database.ConnectionString);
            web.UseSetting("Broker:Uri", Broker.Uri.ToString());
            // Every test client shares one address here; the sign-in limit has a test of its own.
            web.UseSetting("SignIn:AttemptsPerMinute", "1000000");
            // Validation matrices and fuzzing make hundreds of costly requests as one person; the limit has a test of its own.
            web.UseSetting("CostlyRequests:PermitsPerMinute", "6000");
            ConfigureApi(web);
        });
        _ = Api.Services;
    }

    /// <summary>What a fixture built on this one adds to the Api host.</summary>
    protected virtual void ConfigureApi(IWebHostBuilder web)
    {
    }

    /// <summary>Points a host at the emulator (for tests that build an Api of their own).</summary>
    public void UseGoogle(IWebHostBuilder web)
    {
        ArgumentNullException.ThrowIfNull(web);
        foreach (var (key, value) in Google.Settings)
        {
            web.UseSetting(key, value);
        }
    }

    /// <summary>A client of the Api that keeps cookies and does not follow redirects (so a test sees each hop).</summary>
    public HttpClient Browser() => Api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A new emulator account (a fresh email), with its primary calendar.</summary>
    public string NewGoogleAccount(string name = "person")
    {
        var email = $"{name}-{Guid.NewGuid():N}@example.com";
        Google.Emulator.CreateAccount(email, name);
        return email;
    }

    public virtual async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Google.DisposeAsync();
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
    }
}
