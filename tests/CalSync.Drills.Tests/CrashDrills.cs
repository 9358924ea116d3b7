using System.Collections.Concurrent;
using CalSync.Engine.Runs;
using CalSync.Testing;
using Dapper;

namespace CalSync.Drills.Tests;

/// <summary>Runs take a few seconds here (Google answers each call after 2 s, and a run's two listings go at once), so kills land mid-run.</summary>
public sealed class SlowRunsFixture : DrillFixture
{
    protected override TimeSpan GoogleLatency => TimeSpan.FromSeconds(2);
}

/// <summary>
/// Three worker processes; workers are killed with SIGKILL mid-run, messages are delivered twice, a sync
/// is triggered many times at once. Every drill ends with every run finished and no overlap.
/// </summary>
public sealed class CrashDrills(SlowRunsFixture fixture) : IClassFixture<SlowRunsFixture>
{
    private readonly ConcurrentDictionary<int, DateTimeOffset> _killedAt = new();

    [Fact]
    public async Task Killing_workers_mid_run_ten_times_loses_no_run_and_never_overlaps()
    {
        var workers = new List<WorkerProcess>();
        for (var i = 0; i < 3; i++)
        {
            workers.Add(await fixture.StartWorkerAsync());
        }
        var syncs = await CreateSyncsAsync(4);
        var replacements = new Dictionary<WorkerProcess, Task>();

        for (var kill = 0; kill < 10; kill++)
        {
            foreach (var syncId in syncs)
            {
                await fixture.TriggerAsync(syncId);
            }
            var live = workers.Where(w => !w.HasExited).ToDictionary(w => w.Pid);
            var victimPid = await Eventually.ReachesAsync(
                () => RunningOnAsync(syncs, live.Keys), pid => pid is not null, "a run in progress on a live worker", TimeSpan.FromSeconds(90));
            // Different points in the run: 0 to 1.6 s into its 2 s of work.
            await Task.Delay(TimeSpan.FromMilliseconds(kill % 5 * 400));
            var victim = live[victimPid!.Value];
            _killedAt[victim.Pid] = TimeProvider.System.GetUtcNow();
            victim.Kill();
            var replacement = await fixture.StartWorkerAsync(waitReady: false);
            workers.Add(replacement);
            replacements[replacement] = replacement.WaitReadyAsync();
        }
        // A replacement may itself have been a victim before it was ready; the others must come up.
        await Task.WhenAll(replacements.Where(r => !_killedAt.ContainsKey(r.Key.Pid)).Select(r => r.Value));

        await Invariants.AllRunsFinishAsync(fixture.Database.DataSource, syncs);
        await Invariants.NoOverlappingRunsAsync(fixture.Database.DataSource, syncs, _killedAt);
        Assert.Equal(10, _killedAt.Count);
    }

    [Fact]
    public async Task The_same_message_delivered_twice_and_many_triggers_at_once_make_no_overlap()
    {
        await EnsureWorkersAsync();
        var syncs = await CreateSyncsAsync(3);

        // Fifty triggers of each sync at once, every message published twice.
        await Task.WhenAll(syncs.SelectMany(syncId => Enumerable.Range(0, 50).Select(async _ =>
        {
            var run = await fixture.TriggerAsync(syncId);
            await fixture.PublishAsync(run);
        })));
        // And more while the first runs are going: each gets a follow-up run rather than being lost.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var followUps = await Task.WhenAll(syncs.Select(syncId => fixture.TriggerAsync(syncId)));

        await Invariants.AllRunsFinishAsync(fixture.Database.DataSource, syncs);
        await Invariants.NoOverlappingRunsAsync(fixture.Database.DataSource, syncs, _killedAt);
        foreach (var followUp in followUps)
        {
            Assert.Equal(RunStatus.Succeeded, (await fixture.Runs.GetAsync(followUp.Id, CancellationToken.None))!.Status);
        }
    }

    private async Task EnsureWorkersAsync()
    {
        for (var i = 0; i < 2; i++)
        {
            await fixture.StartWorkerAsync();
        }
    }

    private async Task<List<Guid>> CreateSyncsAsync(int count)
    {
        var syncs = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            syncs.Add((await fixture.Google.CreateSyncAsync(fixture.Database.DataSource)).SyncId);
        }
        return syncs;
    }

    /// <summary>The pid of a live worker executing a run of these syncs right now, if any.</summary>
    private async Task<int?> RunningOnAsync(IReadOnlyCollection<Guid> syncs, IEnumerable<int> livePids)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        var workers = await connection.QueryAsync<string>(
            """
            select a.worker from run_attempts a join runs r on r.id = a.run_id
            where r.sync_id = any(@ids) and r.status = 'running' and a.attempt = r.attempts and a.ended_at is null
            """, new { ids = syncs.ToArray() });
        var live = livePids.ToHashSet();
        return workers.Select(w => int.Parse(w.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture))
            .Where(live.Contains).Select(pid => (int?)pid).FirstOrDefault();
    }
}

/// <summary>Requests published before any worker has ever started wait in the queue, and all run.</summary>
public sealed class EarlyPublishDrill(DrillFixture fixture) : IClassFixture<DrillFixture>
{
    [Fact]
    public async Task Triggers_published_before_any_worker_started_all_run()
    {
        var syncs = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var syncId = (await fixture.Google.CreateSyncAsync(fixture.Database.DataSource)).SyncId;
            syncs.Add(syncId);
            await fixture.TriggerAsync(syncId);
        }

        await fixture.StartWorkerAsync();
        await fixture.StartWorkerAsync();

        await Invariants.AllRunsFinishAsync(fixture.Database.DataSource, syncs);
        await Invariants.NoOverlappingRunsAsync(fixture.Database.DataSource, syncs, new Dictionary<int, DateTimeOffset>());
    }
}
