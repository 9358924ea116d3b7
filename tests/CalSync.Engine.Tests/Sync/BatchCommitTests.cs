using CalSync.Engine.Google;
using CalSync.Engine.Runs;
using CalSync.Engine.Sync;
using CalSync.Engine.Tests.Google.Integration;
using Dapper;

namespace CalSync.Engine.Tests.Sync;

/// <summary>
/// What a run keeps when it stops part-way through its writes: every write Google accepted is linked and
/// recorded in that run, batch by batch, so the next run neither duplicates nor forgets it.
/// </summary>
public sealed class BatchCommitTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>
{
    private static readonly DateTimeOffset Tomorrow = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(9);

    [Fact]
    public async Task A_run_killed_part_way_has_linked_every_batch_that_returned()
    {
        var s = await env.NewScenarioAsync();
        await SeedAsync(s.Source, 120);
        var dying = new DiesAfterWrites(s.B, writes: 100);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => s.RunAsync(b: dying));

        // Google's batch limit is 50 parts: whole batches of 50 returned twice before the process died.
        Assert.All(dying.HandOvers, count => Assert.InRange(count, 1, 50));
        var copies = await CopyIdsAsync(s);
        Assert.Equal(100, copies.Count);
        Assert.Equal(copies.Order(), (await LinkedCopyIdsAsync(s.Sync.Id)).Order());

        var next = await s.RunAsync();

        Assert.Equal(20, next.Created);
        Assert.Equal(120, (await CopyIdsAsync(s)).Count);
    }

    [Fact]
    public async Task One_rate_limited_part_does_not_lose_the_rest_of_its_batch()
    {
        var s = await env.NewScenarioAsync();
        await SeedAsync(s.Source, 10);
        var runId = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => RunAsync(s, runId, b: new RateLimitsFirstPart(s.B)));

        Assert.True(error.IsRetryable);
        var copies = await CopyIdsAsync(s);
        Assert.Equal(9, copies.Count);
        Assert.Equal(copies.Order(), (await LinkedCopyIdsAsync(s.Sync.Id)).Order());
        var recorded = await ChangesAsync(runId);
        Assert.All(recorded, c => Assert.Equal(RunChange.Create, c.Action));
        Assert.Equal(copies.Order(), recorded.Select(c => c.CopyEventId!).Order());

        var retry = await RunAsync(s, runId);

        Assert.Equal(1, retry.Created);
        var all = await CopyIdsAsync(s);
        Assert.Equal(10, all.Count);
        var everything = await ChangesAsync(runId);
        Assert.Equal(all.Order(), everything.Select(c => c.CopyEventId!).Order());
    }

    [Fact]
    public async Task The_run_row_counts_rise_as_batches_return()
    {
        var s = await env.NewScenarioAsync();
        await SeedAsync(s.Source, 120);
        var runId = Guid.NewGuid();
        await using (var connection = await env.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("insert into runs (id, sync_id, trigger, status, queued_at) values (@runId, @Id, 'manual', 'running', now())", new { runId, s.Sync.Id });
        }
        var runs = new RunStore(env.Database.DataSource, TimeProvider.System);
        var watching = new WatchesRunRow(s.B, runs, runId);

        var outcome = await env.Runner.RunAsync(runId, s.Sync, s.A, watching, new RunFlags(), new AttemptProgress(runs, runId), CancellationToken.None);

        // Before each batch goes out, the row already holds every batch that returned before it.
        Assert.Equal([0, 50, 100], watching.CreatedSeen);
        Assert.Equal(120, outcome.Created);
    }

    /// <summary>A run under a given id, so that two attempts of one run can be looked at together.</summary>
    private async Task<SyncOutcome> RunAsync(Scenario s, Guid runId, ICalendarSide? b = null)
    {
        await using (var connection = await env.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "insert into runs (id, sync_id, trigger, status, queued_at) values (@runId, @Id, 'manual', 'running', now()) on conflict do nothing",
                new { runId, s.Sync.Id });
        }
        return await env.Runner.RunAsync(runId, s.Sync, s.A, b ?? s.B, new RunFlags(), CancellationToken.None);
    }

    private static async Task SeedAsync(ConnectedAccount account, int count)
    {
        var inserts = Enumerable.Range(0, count)
            .Select(i => CalendarOperation.InsertEvent("primary", Scenario.Timed($"E{i}", Tomorrow.AddMinutes(30 * i)) with { Id = "e" + Guid.NewGuid().ToString("N") }))
            .ToList();
        var results = await account.Client.ExecuteBatchAsync(inserts, CancellationToken.None);
        Assert.All(results, r => Assert.True(r.Succeeded));
    }

    private static async Task<List<string>> CopyIdsAsync(Scenario s) =>
        [.. (await Scenario.LiveEventsAsync(s.Target)).Where(e => CopyMarker.Read(e)?.SyncId == s.Sync.Id).Select(e => e.Id!)];

    private async Task<List<string>> LinkedCopyIdsAsync(Guid syncId)
    {
        await using var connection = await env.Database.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<string>("select b_event_id from event_links where sync_id = @syncId", new { syncId })];
    }

    private async Task<List<RunChange>> ChangesAsync(Guid runId)
    {
        await using var connection = await env.Database.DataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string Action, string Side, string? Origin, string? Copy, string? Summary, string Reason)>(
            "select action, side::text, origin_event_id, copy_event_id, summary, reason from run_changes where run_id = @runId order by id", new { runId });
        return [.. rows.Select(r => new RunChange(r.Action, Enum.Parse<Side>(r.Side), r.Origin, r.Copy, r.Summary, r.Reason))];
    }
}

/// <summary>A side that reads its run's row each time a batch is handed to it, as a live view would.</summary>
internal sealed class WatchesRunRow(ICalendarSide inner, RunStore runs, Guid runId) : DelegatingSide(inner)
{
    public List<int> CreatedSeen { get; } = [];

    public override async Task<IReadOnlyList<BatchResult>> ExecuteAsync(IReadOnlyList<CalendarOperation> operations, CancellationToken cancellationToken)
    {
        CreatedSeen.Add((await runs.GetAsync(runId, cancellationToken))!.Created);
        return await Inner.ExecuteAsync(operations, cancellationToken);
    }
}
