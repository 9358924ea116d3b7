using System.Text.Json;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Accounting;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;
using CalSync.Engine.Tests.Google.Integration;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CalSync.Engine.Tests.Sync;

/// <summary>
/// The engine against the emulator and PostgreSQL: two connected accounts per scenario, a sync row between
/// their calendars, and a runner wired as in production.
/// </summary>
public class SyncEnvironment : GoogleEnvironment
{
    public SyncRunner Runner => RunnerAt(TimeProvider.System);

    /// <summary>A runner whose clock the test controls: days pass without waiting for them; its state goes through <paramref name="data"/> when given.</summary>
    public SyncRunner RunnerAt(TimeProvider time, NpgsqlDataSource? data = null)
    {
        var state = new SyncStateStore(data ?? Database.DataSource, time);
        return new(state, Get<ApiCallAccounting>(), time, Options.Create(new SyncEngineOptions()),
            new SyncStore(Database.DataSource, time), Get<GoogleCalendarClientFactory>(), new CopyRemover(state, Get<ApiCallAccounting>()));
    }

    public async Task<Scenario> NewScenarioAsync(SyncDirection direction = SyncDirection.OneWay, ConflictPolicy policy = ConflictPolicy.OriginWins, bool privacy = false, string? targetTimeZone = null)
    {
        var (source, target) = (await ConnectNewAccountAsync("source"), await ConnectNewAccountAsync("target"));
        var targetCalendar = targetTimeZone is null ? "primary" : Emulator.CreateCalendar(target.Email, "Target", targetTimeZone);
        var sync = new SyncDefinition
        {
            Id = Guid.NewGuid(),
            Direction = direction,
            A = new CalendarRef(source.Account.Id, "primary"),
            B = new CalendarRef(target.Account.Id, targetCalendar),
            ConflictPolicy = policy,
            AToB = new CopyStyle(Privacy: privacy),
        };
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            insert into syncs (id, user_id, name, a_account_id, a_calendar_id, b_account_id, b_calendar_id, direction, created_at, updated_at)
            values (@Id, @userId, 'scenario', @a, 'primary', @b, @targetCalendar, @direction, now(), now())
            """,
            new { sync.Id, userId = source.Account.UserId, a = source.Account.Id, b = target.Account.Id, targetCalendar, direction = direction == SyncDirection.TwoWay ? "two-way" : "one-way" });
        return new Scenario(this, sync, source, target);
    }

    /// <summary>Calls the emulator counted for an account since its stats were last reset, by method.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CallsAsync(string email)
    {
        using var stats = JsonDocument.Parse(await Admin.GetStringAsync("emulator/stats"));
        return stats.RootElement.GetProperty("accounts").TryGetProperty(email, out var account)
            ? account.GetProperty("byMethod").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32())
            : new Dictionary<string, int>();
    }

    /// <summary>HTTP requests the emulator received from an account (a batch request counts once, however many parts).</summary>
    public async Task<int> HttpRequestsAsync(string email)
    {
        using var stats = JsonDocument.Parse(await Admin.GetStringAsync("emulator/stats"));
        return stats.RootElement.GetProperty("accounts").TryGetProperty(email, out var account) ? account.GetProperty("httpRequests").GetInt32() : 0;
    }

    public async Task ResetStatsAsync() => (await Admin.PostAsync("emulator/stats/reset", null)).EnsureSuccessStatusCode();

    public async Task ExpireSyncTokensAsync(string calendarId) =>
        (await Admin.PostAsync($"emulator/calendars/{Uri.EscapeDataString(calendarId)}/expire-sync-tokens", null)).EnsureSuccessStatusCode();
}

/// <summary>One sync between two fresh accounts' primary calendars.</summary>
public sealed record Scenario(SyncEnvironment Env, SyncDefinition Sync, ConnectedAccount Source, ConnectedAccount Target)
{
    public ICalendarSide A => new GoogleCalendarSide(Source.Client, "primary");
    public ICalendarSide B => new GoogleCalendarSide(Target.Client, Sync.B.CalendarId);

    public async Task<SyncOutcome> RunAsync(RunFlags? options = null, ICalendarSide? a = null, ICalendarSide? b = null, SyncRunner? runner = null)
    {
        var runId = Guid.NewGuid();
        await using (var connection = await Env.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "insert into runs (id, sync_id, trigger, status, queued_at) values (@runId, @Id, 'manual', 'running', now())",
                new { runId, Sync.Id });
        }
        return await (runner ?? Env.Runner).RunAsync(runId, Sync, a ?? A, b ?? B, options ?? new RunFlags(), CancellationToken.None);
    }

    /// <summary>Every live event on a side (a full listing, as a person would see the calendar).</summary>
    public static async Task<IReadOnlyList<GoogleEvent>> LiveEventsAsync(ConnectedAccount account, string calendarId = "primary")
    {
        var listing = (EventListing)await account.Client.ListEventsAsync(calendarId, EventListQuery.Window(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100)), CancellationToken.None);
        return [.. listing.Events.Where(e => !e.IsCancelled)];
    }

    public static GoogleEvent Timed(string summary, DateTimeOffset start) => new()
    {
        Summary = summary,
        Start = EventDateTime.At(start, "Europe/Berlin"),
        End = EventDateTime.At(start.AddHours(1), "Europe/Berlin"),
    };

    public static Task<GoogleEvent> AddAsync(ConnectedAccount account, GoogleEvent e) =>
        account.Client.InsertEventAsync("primary", e with { Id = "e" + Guid.NewGuid().ToString("N") }, CancellationToken.None);
}
