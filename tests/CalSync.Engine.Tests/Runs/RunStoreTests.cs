using CalSync.Engine.Runs;
using CalSync.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CalSync.Engine.Tests.Runs;

public sealed class RunStoreTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    private RunStore Store => new(database.DataSource, _time);

    [Fact]
    public async Task EnqueueAsync_NewSync_QueuesRunWithItsTrigger()
    {
        var syncId = await TestData.CreateSyncAsync(database.DataSource);

        var (run, created) = await Store.EnqueueAsync(syncId, RunTrigger.Manual, fullResync: false, dryRun: false, CancellationToken.None);

        Assert.True(created);
        Assert.Equal(RunStatus.Queued, run.Status);
        Assert.Equal(RunTrigger.Manual, run.Trigger);
        Assert.Equal(_time.GetUtcNow(), run.QueuedAt);
        Assert.Equal(run, await Store.GetAsync(run.Id, CancellationToken.None));
    }

    [Fact]
    public async Task EnqueueAsync_RunAlreadyQueued_CoalescesAndKeepsFullResyncRequest()
    {
        var syncId = await TestData.CreateSyncAsync(database.DataSource);
        var (first, _) = await Store.EnqueueAsync(syncId, RunTrigger.Schedule, fullResync: false, dryRun: false, CancellationToken.None);

        var (second, created) = await Store.EnqueueAsync(syncId, RunTrigger.Manual, fullResync: true, dryRun: false, CancellationToken.None);

        Assert.False(created);
        Assert.Equal(first.Id, second.Id);
        Assert.True(second.FullResync);
    }

    [Fact]
    public async Task EnqueueAsync_RunAlreadyQueued_CoalescesAndKeepsAConfirmationOfDeletes()
    {
        var syncId = await TestData.CreateSyncAsync(database.DataSource);
        var (first, _) = await Store.EnqueueAsync(syncId, RunTrigger.Schedule, fullResync: false, dryRun: false, CancellationToken.None);

        var (second, created) = await Store.EnqueueAsync(syncId, RunTrigger.Manual, fullResync: false, dryRun: false, confirmDeletes: true, CancellationToken.None);
        var (third, _) = await Store.EnqueueAsync(syncId, RunTrigger.Schedule, fullResync: false, dryRun: false, CancellationToken.None);

        Assert.False(created);
        Assert.False(first.ConfirmDeletes);
        Assert.Equal((first.Id, true), (second.Id, second.ConfirmDeletes));
        Assert.True(third.ConfirmDeletes); // A later plain trigger does not take the confirmation back.
    }

    [Fact]
    public async Task EnqueueAsync_ManyConcurrentTriggers_LeaveExactlyOneQueuedRun()
    {
        var syncId = await TestData.CreateSyncAsync(database.DataSource);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Store.EnqueueAsync(syncId, RunTrigger.Push, fullResync: false, dryRun: false, CancellationToken.None)));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Run.Id).Distinct());
    }

    [Fact]
    public async Task EnqueueAsync_WhileRunIsRunning_QueuesFollowUpRun()
    {
        var syncId = await TestData.CreateSyncAsync(database.DataSource);
        var (first, _) = await Store.EnqueueAsync(syncId, RunTrigger.Manual, false, false, CancellationToken.None);
        await Store.TryStartAsync(first.Id, "worker-1", CancellationToken.None);

        var (followUp, created) = await Store.EnqueueAsync(syncId, RunTrigger.Manual, false, false, CancellationToken.None);

        Assert.True(created);
        Assert.NotEqual(first.Id, followUp.Id);
    }

    [Fact]
    public async Task EnqueueAsync_DryRunBesideRealRun_AreSeparateRuns()
    {
        var syncId = await TestData.CreateSyncAsync(database.DataSource);

        var (real, _) = await Store.EnqueueAsync(syncId, RunTrigger.Manual, false, dryRun: false, CancellationToken.None);
        var (dry, created) = await Store.EnqueueAsync(syncId, RunTrigger.Manual, false, dryRun: true, CancellationToken.None);

        Assert.True(created);
        Assert.NotEqual(real.Id, dry.Id);
        Assert.True(dry.DryRun);
    }

    [Fact]
    public async Task EnqueueAsync_UnknownTrigger_Throws()
    {
        var syncId = await TestData.CreateSyncAsync(database.DataSource);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Store.EnqueueAsync(syncId, "whenever", false, false, CancellationToken.None));
    }

    [Fact]
    public async Task FinishAsync_RunningRun_RecordsOutcomeOnce()
    {
        var syncId = await TestData.CreateSyncAsync(database.DataSource);
        var (run, _) = await Store.EnqueueAsync(syncId, RunTrigger.Manual, false, false, CancellationToken.None);
        await Store.TryStartAsync(run.Id, "worker-1", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(3));

        var finished = await Store.FinishAsync(run.Id, RunStatus.Succeeded, new RunOutcome(2, 1, 0, 4, 7), null, CancellationToken.None);
        var again = await Store.FinishAsync(run.Id, RunStatus.Failed, RunOutcome.Nothing, "late", CancellationToken.None);

        Assert.NotNull(finished);
        Assert.Equal((RunStatus.Succeeded, 2, 1, 0, 4, 7), (finished.Status, finished.Created, finished.Updated, finished.Deleted, finished.Skipped, finished.ApiCalls));
        Assert.Equal(_time.GetUtcNow(), finished.FinishedAt);
        Assert.Null(again);
        Assert.Equal(finished, await Store.GetAsync(run.Id, CancellationToken.None));
    }

    [Fact]
    public async Task AddProgressAsync_RunningRun_AddsUpAndFinishAddsTheRest()
    {
        var syncId = await TestData.CreateSyncAsync(database.DataSource);
        var (run, _) = await Store.EnqueueAsync(syncId, RunTrigger.Manual, false, false, CancellationToken.None);
        await Store.TryStartAsync(run.Id, "worker-1", CancellationToken.None);

        await Store.AddProgressAsync(run.Id, new RunOutcome(1, 2, 3, 4, 5), CancellationToken.None);
        await Store.AddProgressAsync(run.Id, new RunOutcome(10, 0, 0, 0, 10), CancellationToken.None);
        var running = (await Store.GetAsync(run.Id, CancellationToken.None))!;
        var finished = (await Store.FinishAsync(run.Id, RunStatus.Succeeded, new RunOutcome(100, 0, 0, 0, 100), null, CancellationToken.None))!;
        await Store.AddProgressAsync(run.Id, new RunOutcome(1000, 0, 0, 0, 0), CancellationToken.None);

        Assert.Equal((11, 2, 3, 4, 15), (running.Created, running.Updated, running.Deleted, running.Skipped, running.ApiCalls));
        Assert.Equal((111, 2, 3, 4, 115), (finished.Created, finished.Updated, finished.Deleted, finished.Skipped, finished.ApiCalls));
        // A late report of an attempt that lost the run (taken over, finished) changes nothing.
        Assert.Equal(finished, await Store.GetAsync(run.Id, CancellationToken.None));
    }

    [Fact]
    public async Task FinishAsync_NotAnEndState_Throws()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Store.FinishAsync(Guid.NewGuid(), RunStatus.Running, RunOutcome.Nothing, null, CancellationToken.None));
    }
}
