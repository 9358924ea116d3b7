using CalSync.Engine.Runs;
using CalSync.Testing;
using Dapper;
using Microsoft.Extensions.Options;

namespace CalSync.Worker.Tests;

/// <summary>Runs that need a second message get one: the dispatcher re-publishes from the run rows.</summary>
public sealed class RecoveryTests(WorkerFixture fixture) : IClassFixture<WorkerFixture>
{
    private RunStore Runs => new(fixture.Database.DataSource, TimeProvider.System);

    private RunLock Lock => new(fixture.Database.DataSource, Options.Create(new RunOptions()), TimeProvider.System);

    private async Task<Run> QueueRunAsync()
    {
        var syncId = await fixture.CreateSyncAsync();
        return (await Runs.EnqueueAsync(syncId, RunTrigger.Manual, false, false, CancellationToken.None)).Run;
    }

    private Task<Run?> FinishedAsync(Guid runId) =>
        Eventually.ReachesAsync(() => Runs.GetAsync(runId, CancellationToken.None), r => r!.IsFinished, $"run {runId} to finish");

    [Fact]
    public async Task A_run_queued_without_a_message_is_published_by_the_dispatcher()
    {
        var run = await QueueRunAsync(); // As if the requester died before publishing.

        var finished = await FinishedAsync(run.Id);

        Assert.Equal(RunStatus.Succeeded, finished!.Status);
    }

    [Fact]
    public async Task A_run_whose_sync_is_busy_waits_without_holding_its_message_and_runs_after()
    {
        var run = await QueueRunAsync();
        var held = await Lock.TryAcquireAsync(run.SyncId, CancellationToken.None);
        Assert.NotNull(held);
        await fixture.TestBus.Publish(new Contracts.SyncRequested(run.Id, run.SyncId, run.Trigger, run.QueuedAt, false, false));

        var deferred = await Eventually.ReachesAsync(() => Runs.GetAsync(run.Id, CancellationToken.None), r => r!.NextAttemptAt is not null, "the run to be put off");
        Assert.Equal(RunStatus.Queued, deferred!.Status);
        Assert.Equal(0, await fixture.Broker.QueueDepthAsync(Contracts.QueueNames.SyncRequested + "_error") ?? 0);
        await held.DisposeAsync();

        var finished = await FinishedAsync(run.Id);
        Assert.Equal((RunStatus.Succeeded, 1), (finished!.Status, finished.Attempts));
    }

    [Fact]
    public async Task A_run_left_running_by_a_dead_worker_is_taken_over()
    {
        var run = await QueueRunAsync();
        await Runs.TryStartAsync(run.Id, "dead-worker", CancellationToken.None); // It died: no lock, no message.

        var finished = await FinishedAsync(run.Id);

        Assert.Equal((RunStatus.Succeeded, 2), (finished!.Status, finished.Attempts));
        Assert.NotEqual("dead-worker", finished.Worker);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        var attempts = (await connection.QueryAsync<(string Worker, string? Outcome)>(
            "select worker, outcome from run_attempts where run_id = @Id order by attempt", new { run.Id })).ToList();
        Assert.Equal(("dead-worker", (string?)null), attempts[0]);
        Assert.Equal(RunStatus.Succeeded, attempts[1].Outcome);
    }

    [Fact]
    public async Task Metrics_are_exposed_for_Prometheus()
    {
        var run = await QueueRunAsync();
        await FinishedAsync(run.Id);
        using var client = fixture.Worker.CreateClient();

        var metrics = await Eventually.ReachesAsync(() => client.GetStringAsync("/metrics"), m => m.Split('\n').Any(l => l.StartsWith("calsync_runs_finished_total{", StringComparison.Ordinal) && l.Contains("status=\"succeeded\"", StringComparison.Ordinal)), "run metrics");

        Assert.Contains("calsync_run_duration_seconds", metrics, StringComparison.Ordinal);
        Assert.Contains("calsync_run_queue_wait_seconds", metrics, StringComparison.Ordinal);
    }
}
