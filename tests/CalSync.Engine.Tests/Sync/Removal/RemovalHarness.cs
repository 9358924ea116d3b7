using CalSync.Engine.Google;
using CalSync.Engine.Google.Accounting;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Runs;
using CalSync.Engine.Sync;
using CalSync.Engine.Tests.Google.Integration;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CalSync.Engine.Tests.Sync.Removal;

/// <summary>
/// Deletion and the run pipeline wired as a worker wires them (processor, lock, <see cref="SyncRunner"/> routing
/// by kind), over a <see cref="SyncEnvironment"/>'s emulator and database, plus what the tests look at.
/// </summary>
internal sealed class RemovalHarness(SyncEnvironment env)
{
    private readonly IOptions<RunOptions> _runOptions = Options.Create(new RunOptions());

    public RunStore Runs => new(env.Database.DataSource, TimeProvider.System);

    public RunLock Lock => new(env.Database.DataSource, _runOptions, TimeProvider.System);

    public SyncDeletion Deletion => new(env.Database.DataSource, TimeProvider.System);

    public CopyRemover Remover => new(new SyncStateStore(env.Database.DataSource, TimeProvider.System), env.Get<ApiCallAccounting>());

    public RunProcessor Processor => new(
        Runs,
        Lock,
        env.Runner,
        new RunMetrics(),
        _runOptions,
        TimeProvider.System,
        NullLogger<RunProcessor>.Instance);

    public Task<ProcessResult> ProcessAsync(Run run) => Processor.ProcessAsync(run.Id, "worker-test", CancellationToken.None);

    /// <summary>Deletes the scenario's sync as its owner, expecting it to be found.</summary>
    public async Task<SyncDeletionResult> DeleteAsync(Scenario s, bool removeCopies)
    {
        var result = await Deletion.DeleteAsync(s.Source.Account.UserId, s.Sync.Id, removeCopies, CancellationToken.None);
        Assert.Equal(SyncDeletionStatus.Deleted, result.Status);
        return result;
    }

    /// <summary>A second sync of the same owner between the same two calendars: its copies are none of the first's business.</summary>
    public async Task<SyncDefinition> AddSiblingSyncAsync(Scenario s)
    {
        var sibling = s.Sync with { Id = Guid.NewGuid() };
        await using var connection = await env.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            insert into syncs (id, user_id, name, a_account_id, a_calendar_id, b_account_id, b_calendar_id, direction, created_at, updated_at)
            select @siblingId, user_id, 'sibling', a_account_id, a_calendar_id, b_account_id, b_calendar_id, direction, now(), now()
            from syncs where id = @syncId
            """,
            new { siblingId = sibling.Id, syncId = s.Sync.Id });
        return sibling;
    }

    public async Task<int> QueuedRunCountAsync(Guid syncId)
    {
        await using var connection = await env.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("select count(*) from runs where sync_id = @syncId and status = 'queued'", new { syncId });
    }

    public async Task<int> LinkCountAsync(Guid syncId)
    {
        await using var connection = await env.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("select count(*) from event_links where sync_id = @syncId", new { syncId });
    }

    /// <summary>Loses the link of one copy, as a crash between a write and its link would.</summary>
    public async Task ForgetLinkAsync(Guid syncId, string copyId)
    {
        await using var connection = await env.Database.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteAsync(
            "delete from event_links where sync_id = @syncId and (a_event_id = @copyId or b_event_id = @copyId)", new { syncId, copyId }));
    }

    public async Task<IReadOnlyList<RecordedChange>> ChangesAsync(Guid runId)
    {
        await using var connection = await env.Database.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<RecordedChange>(
            """
            select action as Action, side::text as Side, origin_event_id as OriginEventId, copy_event_id as CopyEventId, reason as Reason
            from run_changes where run_id = @runId order by id
            """, new { runId })];
    }

    /// <summary>Every event of a calendar, cancelled ones included, by id: status and etag say whether it was touched.</summary>
    public static async Task<IReadOnlyDictionary<string, (string? Status, string? Etag)>> SnapshotAsync(ConnectedAccount account, string calendarId = "primary")
    {
        var query = EventListQuery.Window(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100), singleEvents: false) with { ShowDeleted = true };
        var listing = (EventListing)await account.Client.ListEventsAsync(calendarId, query, CancellationToken.None);
        return listing.Events.ToDictionary(e => e.Id!, e => (e.Status, e.Etag));
    }

    /// <summary>The copy ids a sync wrote into a calendar, read from the copies' markers.</summary>
    public static async Task<IReadOnlyList<string>> CopiesOfAsync(ConnectedAccount account, Guid syncId, string calendarId = "primary") =>
        [.. (await Scenario.LiveEventsAsync(account, calendarId)).Where(e => CopyMarker.Read(e)?.SyncId == syncId).Select(e => e.Id!)];

    public static async Task<string?> StatusOfAsync(ConnectedAccount account, string eventId, string calendarId = "primary") =>
        (await account.Client.GetEventAsync(calendarId, eventId, CancellationToken.None))?.Status;

    public static GoogleEvent Timed(string summary, DateTimeOffset start) => Scenario.Timed(summary, start);
}

public sealed record RecordedChange(string Action, string Side, string? OriginEventId, string? CopyEventId, string Reason);
