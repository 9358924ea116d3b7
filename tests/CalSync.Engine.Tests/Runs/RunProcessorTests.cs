using CalSync.Engine.Runs;
using CalSync.Testing;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CalSync.Engine.Tests.Runs;

public sealed class RunProcessorTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly RunOptions _options = new() { RetryBaseDelay = TimeSpan.FromSeconds(10), RetryMaxDelay = TimeSpan.FromMinutes(5), MaxAttempts = 3 };
    private readonly ScriptedWork _work = new();

    private RunStore Store => new(database.DataSource, _time);

    private RunLock Lock => new(database.DataSource, Options.Create(_options), _time);

    private RunProcessor Processor => new(Store, Lock, _work, new RunMetrics(), Options.Create(_options), _time, NullLogger<RunProcessor>.Instance);

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
    public async Task ProcessAsync_SyncLockedByAnotherRun_DefersRunAndLeavesItQueued()
    {
        var run = await QueueRunAsync();
        await using var other = await Lock.TryAcquireAsync(run.SyncId, CancellationToken.None);
        Assert.NotNull(other);

        var result = await Processor.ProcessAsync(run.Id, "worker-1", CancellationToken.None);

        Assert.Equal(ProcessResultKind.Deferred, result.Kind);
        var stored = await Store.GetAsync(run.Id, CancellationToken.None);
        Assert.Equal((RunStatus.Queued, 0, _time.GetUtcNow() + _options.BusyRetryDelay), (stored!.Status, stored.Attempts, stored.NextAttemptAt));
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

    [Fact]
    public async Task ProcessAsync_RateLimited_QueuesRunAgainNoSoonerThanRetryAfter()
    {
        var run = await QueueRunAsync();
        _work.Throw(new RunWorkException("Google: rateLimitExceeded", isRetryable: true, retryAfter: TimeSpan.FromMinutes(4)));

        var result = await Processor.ProcessAsync(run.Id, "worker-1", CancellationToken.None);

        Assert.Equal(ProcessResultKind.RetryScheduled, result.Kind);
        var stored = (await Store.GetAsync(run.Id, CancellationToken.None))!;
        Assert.Equal((RunStatus.Queued, 1, "Google: rateLimitExceeded"), (stored.Status, stored.Attempts, stored.Error));
        Assert.True(stored.NextAttemptAt >= _time.GetUtcNow() + TimeSpan.FromMinutes(4), $"next attempt {stored.NextAttemptAt}");
        Assert.Equal(["retry"], await AttemptOutcomesAsync(run.Id));
    }

    [Fact]
    public async Task ProcessAsync_RunRetriedAfterProgress_ReportsTheSumOfItsAttempts()
    {
        var run = await QueueRunAsync();
        // The first attempt gets 5 copies and 7 calls in, then meets a rate limit.
        _work.Attempt = async progress =>
        {
            await progress.ReportAsync(new RunOutcome(5, 0, 0, 1, 7), CancellationToken.None);
            throw new RunWorkException("Google answered 429", isRetryable: true);
        };
        var first = await Processor.ProcessAsync(run.Id, "worker-1", CancellationToken.None);
        Assert.Equal(ProcessResultKind.RetryScheduled, first.Kind);
        Assert.Equal((5, 1, 7), (first.Run.Created, first.Run.Skipped, first.Run.ApiCalls));

        // The second reports part of its work on the way, then ends with all of it: 3 copies, 1 update, 4 calls.
        _work.Attempt = async progress =>
        {
            await progress.ReportAsync(new RunOutcome(2, 0, 0, 0, 3), CancellationToken.None);
            return new RunOutcome(3, 1, 0, 0, 4);
        };
        var second = await Processor.ProcessAsync(run.Id, "worker-1", CancellationToken.None);

        Assert.Equal(ProcessResultKind.Finished, second.Kind);
        Assert.Equal((RunStatus.Succeeded, 5 + 3, 1, 0, 1, 7 + 4), (second.Run.Status, second.Run.Created, second.Run.Updated, second.Run.Deleted, second.Run.Skipped, second.Run.ApiCalls));
        Assert.Equal(second.Run, await Store.GetAsync(run.Id, CancellationToken.None));
    }

    [Fact]
    public async Task ProcessAsync_PermanentFailureAfterProgress_KeepsWhatTheAttemptDid()
    {
        var run = await QueueRunAsync();
        _work.Attempt = async progress =>
        {
            await progress.ReportAsync(new RunOutcome(0, 2, 1, 0, 3), CancellationToken.None);
            throw new RunWorkException("Access to the account was revoked (invalid_grant); reconnect it.", isRetryable: false);
        };

        var result = await Processor.ProcessAsync(run.Id, "worker-1", CancellationToken.None);

        Assert.Equal((RunStatus.Failed, 0, 2, 1, 3), (result.Run.Status, result.Run.Created, result.Run.Updated, result.Run.Deleted, result.Run.ApiCalls));
    }

    [Fact]
    public async Task ProcessAsync_RetryableFailureOnLastAttempt_FailsWithClearMessage()
    {
        var run = await QueueRunAsync();
        _work.Throw(new RunWorkException("Google answered 503", isRetryable: true));
        for (var i = 1; i < _options.MaxAttempts; i++)
        {
            Assert.Equal(ProcessResultKind.RetryScheduled, (await Processor.ProcessAsync(run.Id, "worker-1", CancellationToken.None)).Kind);
        }

        var result = await Processor.ProcessAsync(run.Id, "worker-1", CancellationToken.None);

        Assert.Equal(ProcessResultKind.Finished, result.Kind);
        Assert.Equal(RunStatus.Failed, result.Run.Status);
        Assert.Equal($"Gave up after {_options.MaxAttempts} attempts: Google answered 503", result.Run.Error);
        Assert.Equal(["retry", "retry", "failed"], await AttemptOutcomesAsync(run.Id));
    }

    [Fact]
    public async Task ProcessAsync_PermanentFailure_FailsAtOnceWithTheMessage()
    {
        var run = await QueueRunAsync();
        _work.Throw(new RunWorkException("Access to the account was revoked (invalid_grant); reconnect it.", isRetryable: false));

        var result = await Processor.ProcessAsync(run.Id, "worker-1", CancellationToken.None);

        Assert.Equal((ProcessResultKind.Finished, RunStatus.Failed, 1), (result.Kind, result.Run.Status, result.Run.Attempts));
        Assert.Equal("Access to the account was revoked (invalid_grant); reconnect it.", result.Run.Error);
        Assert.Null(result.Run.NextAttemptAt);
    }

    [Fact]
    public async Task ProcessAsync_UnclassifiedFailure_FailsRunAndThrowsRunCrashed()
    {
        var run = await QueueRunAsync();
        _work.Throw(new InvalidOperationException("bug"));

        var crash = await Assert.ThrowsAsync<RunCrashedException>(() => Processor.ProcessAsync(run.Id, "worker-1", CancellationToken.None));

        Assert.Equal(RunStatus.Failed, crash.Run.Status);
        Assert.Contains("bug", crash.Run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessAsync_TransientInfrastructureFailure_IsRethrownAndTheRetryTakesOver()
    {
        var run = await QueueRunAsync();
        _work.Throw(new TimeoutException("connection dropped"));

        await Assert.ThrowsAsync<TimeoutException>(() => Processor.ProcessAsync(run.Id, "worker-1", CancellationToken.None));
        _work.Throw(null);
        var result = await Processor.ProcessAsync(run.Id, "worker-1", CancellationToken.None);

        Assert.Equal((ProcessResultKind.Finished, RunStatus.Succeeded, 2), (result.Kind, result.Run.Status, result.Run.Attempts));
    }

    [Fact]
    public async Task ProcessAsync_RetryableFailureWithFollowUpQueued_FollowUpCarriesTheRetry()
    {
        var run = await QueueRunAsync();
        var followUp = new TaskCompletionSource<Run>();
        _work.OnExecute = async () =>
        {
            followUp.SetResult((await Store.EnqueueAsync(run.SyncId, RunTrigger.Push, true, false, CancellationToken.None)).Run);
            throw new RunWorkException("Google answered 429", isRetryable: true, retryAfter: TimeSpan.FromMinutes(1));
        };

        var result = await Processor.ProcessAsync(run.Id, "worker-1", CancellationToken.None);

        var carrier = await followUp.Task;
        Assert.Equal((ProcessResultKind.Finished, RunStatus.Failed), (result.Kind, result.Run.Status));
        Assert.Contains(carrier.Id.ToString(), result.Run.Error, StringComparison.Ordinal);
        var stored = (await Store.GetAsync(carrier.Id, CancellationToken.None))!;
        Assert.Equal(RunStatus.Queued, stored.Status);
        Assert.True(stored.NextAttemptAt >= _time.GetUtcNow() + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task ProcessAsync_WorkerStopping_HandsRunBack()
    {
        var run = await QueueRunAsync();
        using var stopping = new CancellationTokenSource();
        _work.OnExecute = async () =>
        {
            await stopping.CancelAsync();
            stopping.Token.ThrowIfCancellationRequested();
        };

        var result = await Processor.ProcessAsync(run.Id, "worker-1", stopping.Token);

        Assert.Equal(ProcessResultKind.HandedBack, result.Kind);
        Assert.Equal(RunStatus.Queued, (await Store.GetAsync(run.Id, CancellationToken.None))!.Status);
        Assert.Equal(["handed_back"], await AttemptOutcomesAsync(run.Id));
    }

    private async Task<List<string?>> AttemptOutcomesAsync(Guid runId)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<string?>("select outcome from run_attempts where run_id = @runId order by attempt", new { runId })];
    }

    /// <summary>A run's work as a test scripts it: succeed, throw, or run a callback.</summary>
    private sealed class ScriptedWork : IRunWork
    {
        public Func<Task>? OnExecute { get; set; }

        /// <summary>An attempt that reports progress and returns (or throws) as scripted; takes precedence.</summary>
        public Func<IRunProgress, Task<RunOutcome>>? Attempt { get; set; }

        public void Throw(Exception? exception) => OnExecute = exception is null ? null : () => Task.FromException(exception);

        public async Task<RunOutcome> ExecuteAsync(Run run, IRunProgress progress, CancellationToken cancellationToken)
        {
            if (Attempt is not null)
            {
                return await Attempt(progress);
            }
            if (OnExecute is not null)
            {
                await OnExecute();
            }
            return RunOutcome.Nothing;
        }
    }
}
