using CalSync.Engine.Runs;
using CalSync.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CalSync.Engine.Tests.Runs;

public sealed class RunProcessorTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private RunStore Store => new(database.DataSource, TimeProvider.System);

    private RunLock Lock => new(database.DataSource);

    private RunProcessor Processor => new(Store, Lock, NullLogger<RunProcessor>.Instance);

    private async Task<Run> QueueRunAsync()
    {
        var syncId = await TestData.CreateSyncAsync(database.DataSource);
        return (await Store.EnqueueAsync(syncId, RunTrigger.Manual, false, false, CancellationToken.None)).Run;
    }

    [Fact]
    public async Task ProcessAsync_QueuedRun_SucceedsWithNothingDone()
    {
        var run = await QueueRunAsync();

        var result = await Processor.ProcessAsync(run.Id, "worker-1", CancellationToken.None);

        Assert.Equal(ProcessResultKind.Finished, result.Kind);
        Assert.Equal(RunStatus.Succeeded, result.Run.Status);
        Assert.Equal("worker-1", result.Run.Worker);
        Assert.Equal(1, result.Run.Attempts);
        Assert.NotNull(result.Run.StartedAt);
        Assert.NotNull(result.Run.FinishedAt);
        Assert.Equal(RunOutcome.Nothing, new RunOutcome(result.Run.Created, result.Run.Updated, result.Run.Deleted, result.Run.Skipped, result.Run.ApiCalls));
    }

    [Fact]
    public async Task ProcessAsync_FinishedRunAgain_ChangesNothing()
    {
        var run = await QueueRunAsync();
        var first = await Processor.ProcessAsync(run.Id, "worker-1", CancellationToken.None);

        var second = await Processor.ProcessAsync(run.Id, "worker-2", CancellationToken.None);

        Assert.Equal(ProcessResultKind.AlreadyFinished, second.Kind);
        Assert.Equal(first.Run, await Store.GetAsync(run.Id, CancellationToken.None));
    }

    [Fact]
    public async Task ProcessAsync_UnknownRun_ThrowsUnknownRun()
    {
        var runId = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<UnknownRunException>(() => Processor.ProcessAsync(runId, "worker-1", CancellationToken.None));

        Assert.Equal(runId, error.RunId);
    }

    [Fact]
    public async Task ProcessAsync_SyncLockedByAnotherRun_ThrowsSyncBusyAndLeavesRunQueued()
    {
        var run = await QueueRunAsync();
        await using var other = await Lock.TryAcquireAsync(run.SyncId, CancellationToken.None);
        Assert.NotNull(other);

        await Assert.ThrowsAsync<SyncBusyException>(() => Processor.ProcessAsync(run.Id, "worker-1", CancellationToken.None));

        Assert.Equal(RunStatus.Queued, (await Store.GetAsync(run.Id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task ProcessAsync_RunBeingExecutedElsewhere_LeavesItAlone()
    {
        var run = await QueueRunAsync();
        await using var holder = await Lock.TryAcquireAsync(run.SyncId, CancellationToken.None);
        var running = await Store.TryStartAsync(run.Id, "worker-1", CancellationToken.None);

        var result = await Processor.ProcessAsync(run.Id, "worker-2", CancellationToken.None);

        Assert.Equal(ProcessResultKind.RunningElsewhere, result.Kind);
        Assert.Equal(running, await Store.GetAsync(run.Id, CancellationToken.None));
    }

    [Fact]
    public async Task ProcessAsync_RunLeftRunningByDeadWorker_IsTakenOverAndFinished()
    {
        var run = await QueueRunAsync();
        // A worker marked it running and died: its session, and so its lock, is gone.
        await Store.TryStartAsync(run.Id, "dead-worker", CancellationToken.None);

        var result = await Processor.ProcessAsync(run.Id, "worker-2", CancellationToken.None);

        Assert.Equal(ProcessResultKind.Finished, result.Kind);
        Assert.Equal(RunStatus.Succeeded, result.Run.Status);
        Assert.Equal(2, result.Run.Attempts);
        Assert.Equal("worker-2", result.Run.Worker);
    }

    [Fact]
    public async Task RunLock_SecondAcquire_IsRefusedUntilReleased()
    {
        var syncId = Guid.NewGuid();
        var first = await Lock.TryAcquireAsync(syncId, CancellationToken.None);
        Assert.NotNull(first);
        Assert.Null(await Lock.TryAcquireAsync(syncId, CancellationToken.None));

        await first.DisposeAsync();

        await using var again = await Lock.TryAcquireAsync(syncId, CancellationToken.None);
        Assert.NotNull(again);
    }
}
