using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Web;
using CalSync.Engine.Auth;
using CalSync.Engine.Google;
using CalSync.GoogleEmulator.Hosting;
using CalSync.Testing;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace CalSync.Engine.Tests.Google.Integration;

/// <summary>
/// The emulator in process, a migrated PostgreSQL database of its own, and CalSync's Google services registered
/// by <see cref="GoogleHostingExtensions.AddGoogleCalendar"/> against both, with every log record captured at Trace.
/// Accounts are connected through the real OAuth flow (authorization URL with login_hint, code exchange, userinfo).
/// </summary>
public class GoogleEnvironment : IAsyncLifetime
{
    private static readonly int[] DefaultErrorStatuses = [503];
    private readonly TestDatabase _database = new();
    private IHost? _host;

    public RunningEmulator Emulator { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;
    public IServiceProvider Services => _host!.Services;
    public TestDatabase Database => _database;

    /// <summary>Every token the emulator handed to CalSync: none of them may appear in a log or a table.</summary>
    public List<string> IssuedTokens { get; } = [];

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    protected virtual EmulatorHostOptions EmulatorOptions => new();

    /// <summary>Google options for this environment; functional tests do not want to wait for the rate limiter.</summary>
    protected virtual Dictionary<string, string?> Settings => new() { ["Google:CallsPerWindow"] = "100000", ["Google:ProjectCallsPerWindow"] = "10000000" };

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        Emulator = await EmulatorHost.StartAsync(EmulatorOptions);
        Admin = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Emulator.BaseUri };

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var settings = new Dictionary<string, string?>
        {
            [GoogleHostingExtensions.EmulatorRootKey] = Emulator.BaseUri.ToString(),
            ["Google:OAuth:ClientId"] = Emulator.DefaultClientId,
            ["Google:OAuth:ClientSecret"] = Emulator.DefaultClientSecret,
            ["Google:RetryBaseDelay"] = "00:00:00.050",
            ["Google:MaxRetryDelay"] = "00:00:00.500",
            ["TokenVault:Keys:0:Id"] = "test1",
            ["TokenVault:Keys:0:Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging();
        builder.Services.AddSingleton(_database.DataSource);
        builder.AddGoogleCalendar();
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
        Admin.Dispose();
        await Emulator.DisposeAsync();
        await _database.DisposeAsync();
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A new emulator user, connected as a CalSync user would connect it (sign-in through OAuth).</summary>
    public async Task<ConnectedAccount> ConnectNewAccountAsync(string name = "user")
    {
        var email = $"{name}-{Guid.NewGuid():N}@example.com";
        using (var created = await Admin.PostAsJsonAsync("emulator/accounts", new { email, name }))
        {
            created.EnsureSuccessStatusCode();
        }
        var userId = Guid.NewGuid();
        await using (var connection = await _database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("insert into users (id, email, created_at) values (@userId, @email, now())", new { userId, email });
        }

        var oauth = Get<GoogleOAuthClient>();
        var redirect = new Uri("http://127.0.0.1:8033/auth/callback");
        var request = oauth.CreateAuthorizationRequest(redirect, loginHint: email);
        using var consent = await Admin.GetAsync(request.Url);
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var callback = HttpUtility.ParseQueryString(consent.Headers.Location!.Query);
        Assert.Equal(request.State, callback["state"]);

        var tokens = await oauth.ExchangeCodeAsync(callback["code"]!, request.CodeVerifier, redirect, CancellationToken.None);
        lock (IssuedTokens)
        {
            IssuedTokens.Add(tokens.AccessToken);
            IssuedTokens.Add(tokens.RefreshToken!);
            IssuedTokens.Add(callback["code"]!);
        }
        var identity = await oauth.GetIdentityAsync(tokens.AccessToken, CancellationToken.None);
        Assert.Equal(email, identity.Email);
        var account = await Get<GoogleAccountStore>().ConnectAsync(userId, identity, tokens, CancellationToken.None);
        return new ConnectedAccount(account, email, tokens.AccessToken, tokens.RefreshToken!, Get<GoogleCalendarClientFactory>().ForAccount(account.Id));
    }

    /// <summary>Changes the emulator's fault settings (missing fields keep their value).</summary>
    public async Task SetFaultsAsync(object faults)
    {
        using var response = await Admin.PutAsJsonAsync("emulator/faults", faults);
        response.EnsureSuccessStatusCode();
    }

    public Task ResetFaultsAsync() => SetFaultsAsync(new { errorRate = 0.0, failNext = 0, errorStatuses = DefaultErrorStatuses, quotaPerUserPerMinute = (int?)null, retryAfterSeconds = 1 });

    /// <summary>Sends a raw Calendar request as the account (for what the client deliberately does not model).</summary>
    public async Task<HttpResponseMessage> RawAsync(ConnectedAccount account, HttpMethod method, string path, object? body = null)
    {
        var token = await Get<GoogleAccountCredentials>().For(account.Account.Id).GetAccessTokenAsync(CancellationToken.None);
        using var request = new HttpRequestMessage(method, new Uri(Emulator.BaseUri, path));
        request.Headers.Authorization = new("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await Admin.SendAsync(request);
    }
}

public sealed record ConnectedAccount(GoogleAccount Account, string Email, string AccessToken, string RefreshToken, GoogleCalendarClient Client);
