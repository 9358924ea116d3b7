using System.Text.Json;
using CalSync.Engine.Google;
using CalSync.Engine.Push;
using CalSync.Testing;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CalSync.Engine.Tests.Push;

/// <summary>
/// A migrated database, the emulator, and CalSync's Google and push services against both, as a worker
/// registers them. Webhooks point at a port nobody listens on: these tests look at channels, not deliveries.
/// </summary>
public sealed class PushEnvironment : IAsyncLifetime
{
    private IHost? _host;

    public TestDatabase Database { get; } = new();

    public GoogleSandbox Google { get; private set; } = null!;

    public IServiceProvider Services => _host!.Services;

    public WatchChannelStore Store => Services.GetRequiredService<WatchChannelStore>();

    public Uri PublicUrl { get; } = new($"http://127.0.0.1:{WorkerProcess.FreePort()}/");

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Google = await GoogleSandbox.StartAsync();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(Google.Settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)));
        builder.Configuration.AddInMemoryCollection([KeyValuePair.Create("Webhooks:PublicUrl", (string?)PublicUrl.ToString())]);
        builder.Services.AddSingleton(Database.DataSource);
        builder.AddGoogleCalendar();
        builder.AddPushChannels(reconciler: true);
        _host = builder.Build();
        await _host.StartAsync();
    }

    /// <summary>A reconciler as a worker has it, with <paramref name="configure"/> applied to the options.</summary>
    public WatchReconciler Reconciler(Action<PushOptions>? configure = null)
    {
        var options = new PushOptions { PublicUrl = PublicUrl.ToString() };
        configure?.Invoke(options);
        return new WatchReconciler(Store, Services.GetRequiredService<GoogleCalendarClientFactory>(), Services.GetRequiredService<ChannelStopper>(), Options.Create(options),
            TimeProvider.System, NullLogger<WatchReconciler>.Instance);
    }

    public Task<SandboxSync> CreateSyncAsync(string direction = "one-way") => Google.CreateSyncAsync(Services, Database.DataSource, direction);

    public async Task<Guid> AccountIdAsync(string email)
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<Guid>("select id from google_accounts where email = @email", new { email });
    }

    /// <summary>Every channel row of an account's calendar, oldest first.</summary>
    public async Task<List<WatchChannel>> ChannelsAsync(string email)
    {
        var accountId = await AccountIdAsync(email);
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<WatchChannel>(
            """
            select id as Id, account_id as AccountId, calendar_id as CalendarId, token_hash as TokenHash, resource_id as ResourceId,
                   expires_at as ExpiresAt, status as Status, renew_at as RenewAt, created_at as CreatedAt, stop_requested_at as StopRequestedAt
            from watch_channels where account_id = @accountId order by created_at, id
            """, new { accountId })];
    }

    public async Task ExecuteAsync(string sql, object parameters)
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    /// <summary>How many calls of <paramref name="method"/> (e.g. <c>calendar.events.watch</c>) the emulator counted for an account.</summary>
    public async Task<int> CallsAsync(string email, string method)
    {
        using var http = new HttpClient { BaseAddress = Google.Emulator.BaseUri };
        using var stats = JsonDocument.Parse(await http.GetStringAsync("emulator/stats"));
        return stats.RootElement.GetProperty("accounts").TryGetProperty(email, out var account)
            && account.GetProperty("byMethod").TryGetProperty(method, out var count) ? count.GetInt32() : 0;
    }

    /// <summary>Asks the emulator to stop a channel as its account: true if it knew the channel, false if it did not (404).</summary>
    public async Task<bool> StopAtEmulatorAsync(string email, WatchChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        try
        {
            await Google.CallAsApiAsync(email, HttpMethod.Post, "calendar/v3/channels/stop",
                JsonSerializer.Serialize(new { id = channel.Id, resourceId = channel.ResourceId }));
            return true;
        }
        catch (HttpRequestException ex) when (ex.Message.StartsWith("404", StringComparison.Ordinal))
        {
            return false;
        }
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
        await Google.DisposeAsync();
        await Database.DisposeAsync();
    }
}
