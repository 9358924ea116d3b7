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
    public Task<SandboxSync> CreateSyncAsync(NpgsqlDataSource dataSource, string direction = "one-way") =>
        CreateSyncAsync(HostFor(dataSource).Services, dataSource, direction);

    /// <summary>A host with CalSync's Google services on <paramref name="dataSource"/>, to connect accounts as production does.</summary>
    private IHost HostFor(NpgsqlDataSource dataSource)
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
        return host;
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

    /// <summary>
    /// <paramref name="count"/> one-way syncs of one user that all write into one Google account, so they share its
    /// quota: each from a source account of its own (primary calendar) into a calendar of its own on the shared account.
    /// </summary>
    public async Task<IReadOnlyList<SandboxSync>> CreateSyncsIntoOneAccountAsync(NpgsqlDataSource dataSource, int count)
    {
        var host = HostFor(dataSource);
        var userId = Guid.NewGuid();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("insert into users (id, email, created_at) values (@userId, @email, now())",
                new { userId, email = $"{userId:N}@example.com" });
        }
        var (target, targetEmail) = await ConnectAsync(host.Services, userId, "shared");
        var syncs = new List<SandboxSync>();
        for (var i = 0; i < count; i++)
        {
            var (source, sourceEmail) = await ConnectAsync(host.Services, userId, "source");
            var calendarId = Emulator.CreateCalendar(targetEmail, $"Copies {i + 1}");
            var syncId = Guid.NewGuid();
            await using var connection = await dataSource.OpenConnectionAsync();
            await connection.ExecuteAsync(
                """
                insert into syncs (id, user_id, name, a_account_id, a_calendar_id, b_account_id, b_calendar_id, direction, created_at, updated_at)
                values (@syncId, @userId, @name, @source, 'primary', @target, @calendarId, 'one-way', now(), now())
                """,
                new { syncId, userId, name = $"into one account {i + 1}", source, target, calendarId });
            syncs.Add(new SandboxSync(syncId, sourceEmail, targetEmail) { TargetCalendarId = calendarId });
        }
        return syncs;
    }

    /// <summary>Writes <paramref name="count"/> timed events into a calendar as its owner would; returns their summaries.</summary>
    public async Task<IReadOnlyList<string>> SeedEventsAsync(string email, string calendarId, int count, DateTimeOffset start)
    {
        var summaries = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var summary = $"Seeded {i} {Guid.NewGuid():N}";
            var json = System.Text.Json.JsonSerializer.Serialize(new
            {
                summary,
                start = new { dateTime = start.AddHours(i).ToString("O", System.Globalization.CultureInfo.InvariantCulture), timeZone = "UTC" },
                end = new { dateTime = start.AddHours(i).AddMinutes(30).ToString("O", System.Globalization.CultureInfo.InvariantCulture), timeZone = "UTC" },
            });
            await CallAsApiAsync(email, HttpMethod.Post, $"calendar/v3/calendars/{Uri.EscapeDataString(calendarId)}/events", json);
            summaries.Add(summary);
        }
        return summaries;
    }

    /// <summary>The summaries of a calendar's events (one page of up to 2,500), as its owner sees them.</summary>
    public async Task<IReadOnlyList<string>> EventSummariesAsync(string email, string calendarId)
    {
        var json = await CallAsApiAsync(email, HttpMethod.Get, $"calendar/v3/calendars/{Uri.EscapeDataString(calendarId)}/events?maxResults=2500");
        using var page = System.Text.Json.JsonDocument.Parse(json);
        return [.. page.RootElement.GetProperty("items").EnumerateArray()
            .Select(e => e.TryGetProperty("summary", out var summary) ? summary.GetString() ?? "" : "")];
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

    /// <summary>Every Calendar request waits this long before Google answers it: runs take time, so drills can land kills mid-run.</summary>
    public async Task SetLatencyAsync(TimeSpan latency)
    {
        using var admin = new HttpClient { BaseAddress = Emulator.BaseUri };
        using var body = new StringContent($$"""{"latencyMs":{{(int)latency.TotalMilliseconds}}}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await admin.PutAsync("emulator/faults", body);
        response.EnsureSuccessStatusCode();
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
public sealed record SandboxSync(Guid SyncId, string SourceEmail, string TargetEmail)
{
    /// <summary>The calendar on the target account the copies go to.</summary>
    public string TargetCalendarId { get; init; } = "primary";
}
