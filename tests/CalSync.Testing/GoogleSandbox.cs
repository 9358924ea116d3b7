using System.Security.Cryptography;
using CalSync.Engine.Auth;
using CalSync.GoogleEmulator.Hosting;
using CalSync.Engine.Google;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CalSync.Testing;

/// <summary>
/// An in-process Google emulator for hosts under test (Api, workers): the settings that point a host's
/// Google client at it, and syncs between freshly connected emulator accounts, so runs really sync.
/// </summary>
public sealed class GoogleSandbox : IAsyncDisposable
{
    private readonly Dictionary<NpgsqlDataSource, IHost> _hosts = [];

    private GoogleSandbox(RunningEmulator emulator) => Emulator = emulator;

    public RunningEmulator Emulator { get; }

    /// <summary>Configuration for a CalSync host: emulator endpoints, its dev OAuth client, a fresh vault key.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Google:EmulatorRoot"] = Emulator.BaseUri.ToString(),
        ["Google:OAuth:ClientId"] = Emulator.DefaultClientId,
        ["Google:OAuth:ClientSecret"] = Emulator.DefaultClientSecret,
        ["TokenVault:Keys:0:Id"] = "test",
        ["TokenVault:Keys:0:Key"] = VaultKey,
    };

    private string VaultKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static async Task<GoogleSandbox> StartAsync() => new(await EmulatorHost.StartAsync());

    /// <summary>
    /// A user with two connected emulator accounts and a one-way sync from the first's primary calendar
    /// to the second's, stored through the host's own account store (tokens encrypted as in production).
    /// </summary>
    /// <summary>As <see cref="CreateSyncAsync(IServiceProvider, NpgsqlDataSource, string)"/>, for tests whose hosts are other processes.</summary>
    public async Task<SandboxSync> CreateSyncAsync(NpgsqlDataSource dataSource, string direction = "one-way")
    {
        if (!_hosts.TryGetValue(dataSource, out var host))
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Configuration.AddInMemoryCollection(Settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)));
            builder.Services.AddSingleton(dataSource);
            builder.AddGoogleCalendar();
            host = builder.Build();
            _hosts[dataSource] = host;
        }
        return await CreateSyncAsync(host.Services, dataSource, direction);
    }

    public async Task<SandboxSync> CreateSyncAsync(IServiceProvider host, NpgsqlDataSource dataSource, string direction = "one-way")
    {
        var userId = Guid.NewGuid();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("insert into users (id, email, created_at) values (@userId, @email, now())",
                new { userId, email = $"{userId:N}@example.com" });
        }
        var (source, sourceEmail) = await ConnectAsync(host, userId, "source");
        var (target, targetEmail) = await ConnectAsync(host, userId, "target");
        var syncId = Guid.NewGuid();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                insert into syncs (id, user_id, name, a_account_id, a_calendar_id, b_account_id, b_calendar_id, direction, created_at, updated_at)
                values (@syncId, @userId, 'test sync', @source, 'primary', @target, 'primary', @direction, now(), now())
                """,
                new { syncId, userId, source, target, direction });
        }
        return new SandboxSync(syncId, sourceEmail, targetEmail);
    }

    /// <summary>Sends a Calendar API request as an emulator account, as that person's own Google client would.</summary>
    public async Task<string> CallAsApiAsync(string email, HttpMethod method, string path, string? json = null)
    {
        using var http = new HttpClient { BaseAddress = Emulator.BaseUri };
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", Emulator.IssueTokens(email).AccessToken);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new HttpRequestException($"{(int)response.StatusCode}: {body}");
    }

    private async Task<(Guid AccountId, string Email)> ConnectAsync(IServiceProvider host, Guid userId, string name)
    {
        var email = $"{name}-{Guid.NewGuid():N}@example.com";
        Emulator.CreateAccount(email, name);
        var issued = Emulator.IssueTokens(email);
        var identity = await host.GetRequiredService<GoogleOAuthClient>().GetIdentityAsync(issued.AccessToken, CancellationToken.None);
        var tokens = new OAuthTokens
        {
            AccessToken = issued.AccessToken,
            RefreshToken = issued.RefreshToken,
            ExpiresAt = TimeProvider.System.GetUtcNow().AddSeconds(issued.ExpiresIn),
        };
        var account = await host.GetRequiredService<GoogleAccountStore>().ConnectAsync(userId, identity, tokens, CancellationToken.None);
        return (account.Id, email);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.Values)
        {
            host.Dispose();
        }
        await Emulator.DisposeAsync();
    }
}

/// <summary>A sync created in the sandbox, with its two accounts' emulator emails.</summary>
public sealed record SandboxSync(Guid SyncId, string SourceEmail, string TargetEmail);
