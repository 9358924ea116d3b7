using CalSync.Engine.Runs;

namespace CalSync.Engine.Tests.Sync.Removal;

/// <summary>A sync run whose sync was deleted: it fails for good, saying so, and never reaches Google.</summary>
public sealed class DeletedSyncRunTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>
{
    private static readonly DateTimeOffset Tomorrow = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(9);
    private readonly RemovalHarness _h = new(env);

    [Fact]
    public async Task A_sync_run_queued_after_the_sync_was_deleted_fails_with_a_clear_message_and_calls_nobody()
    {
        var s = await env.NewScenarioAsync();
        await Scenario.AddAsync(s.Source, RemovalHarness.Timed("Never copied", Tomorrow));
        await _h.DeleteAsync(s, removeCopies: false);
        // A cron fire that raced the deletion.
        var (run, _) = await _h.Runs.EnqueueAsync(s.Sync.Id, RunTrigger.Schedule, fullResync: false, dryRun: false, CancellationToken.None);
        await env.ResetStatsAsync();

        var result = await _h.ProcessAsync(run);

        Assert.Equal((ProcessResultKind.Finished, RunStatus.Failed), (result.Kind, result.Run.Status));
        Assert.Equal($"Sync {s.Sync.Id} was deleted; the run changed nothing.", result.Run.Error);
        Assert.Equal(1, result.Run.Attempts); // Permanent: never retried.
        Assert.Empty(await env.CallsAsync(s.Source.Email));
        Assert.Empty(await env.CallsAsync(s.Target.Email));
        Assert.Empty(await Scenario.LiveEventsAsync(s.Target));
    }

    [Fact]
    public async Task A_sync_run_left_running_by_a_dead_worker_and_taken_over_after_the_deletion_writes_nothing()
    {
        var s = await env.NewScenarioAsync();
        await Scenario.AddAsync(s.Source, RemovalHarness.Timed("Never copied", Tomorrow));
        var (run, _) = await _h.Runs.EnqueueAsync(s.Sync.Id, RunTrigger.Manual, fullResync: false, dryRun: false, CancellationToken.None);
        await _h.Runs.TryStartAsync(run.Id, "dead-worker", CancellationToken.None);

        var deletion = await _h.DeleteAsync(s, removeCopies: false);
        Assert.DoesNotContain(run.Id, deletion.EndedRunIds); // Executing runs are not ended; they end themselves.
        await env.ResetStatsAsync();
        var result = await _h.ProcessAsync(run);

        Assert.Equal((RunStatus.Failed, $"Sync {s.Sync.Id} was deleted; the run changed nothing."), (result.Run.Status, result.Run.Error));
        Assert.Empty(await env.CallsAsync(s.Target.Email));
        Assert.Empty(await Scenario.LiveEventsAsync(s.Target));
    }
}
