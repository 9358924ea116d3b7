using System.Diagnostics;
using System.Runtime.ExceptionServices;
using CalSync.Engine.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CalSync.Engine.Runs;

/// <summary>What became of a <see cref="RunProcessor.ProcessAsync"/> call.</summary>
public enum ProcessResultKind
{
    /// <summary>This call ran the run to an end state.</summary>
    Finished,
    /// <summary>The run had already finished: a redelivered message, nothing changed.</summary>
    AlreadyFinished,
    /// <summary>The run is being executed by another worker right now: a duplicate delivery, nothing changed.</summary>
    RunningElsewhere,
    /// <summary>Another run of the sync holds its lock: this run waits a little and the dispatcher re-publishes it.</summary>
    Deferred,
    /// <summary>The work failed in a retryable way: the run is queued again with <c>next_attempt_at</c> ahead.</summary>
    RetryScheduled,
    /// <summary>The worker is stopping: the run was given back, to be re-published by the dispatcher.</summary>
    HandedBack,
}

public sealed record ProcessResult(ProcessResultKind Kind, Run Run);

/// <summary>
/// Takes a queued run through its states under the sync's lock. Idempotent on the run id: a finished
/// run's redelivered message changes nothing, and a run left running by a dead worker is taken over.
/// Failures of the work are classified (<see cref="RunFailures"/>): retryable ones queue the run again for
/// later, permanent ones fail it, brief infrastructure trouble is rethrown for an immediate message retry,
/// and anything unclassified fails the run and is rethrown as <see cref="RunCrashedException"/>.
/// </summary>
public sealed partial class RunProcessor(
    RunStore runs, RunLock runLock, IRunWork work, RunMetrics metrics, IOptions<RunOptions> options, TimeProvider time, ILogger<RunProcessor> logger)
{
    // On every log line written while the run is processed, whichever class writes it: scopes follow the async flow.
    private static readonly Func<ILogger, Guid, Guid, IDisposable?> RunScope = LoggerMessage.DefineScope<Guid, Guid>("Run {RunId} of sync {SyncId}");

    /// <summary>Processes the run in a <c>run</c> span (a child of the message's consume span) with the run's log scope.</summary>
    public async Task<ProcessResult> ProcessAsync(Guid runId, string worker, CancellationToken cancellationToken)
    {
        using var span = Telemetry.Source.StartActivity("run");
        span?.SetTag(Telemetry.RunIdAttribute, runId.ToString());
        try
        {
            var result = await ProcessRunAsync(runId, worker, span, cancellationToken);
            span?.SetTag("calsync.run.result", result.Kind.ToString());
            span?.SetTag("calsync.run.status", result.Run.Status);
            return result;
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    private async Task<ProcessResult> ProcessRunAsync(Guid runId, string worker, Activity? span, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken) ?? throw new UnknownRunException(runId);
        span?.SetTag(Telemetry.SyncIdAttribute, run.SyncId.ToString());
        span?.SetTag("calsync.run.trigger", run.Trigger);
        using var scope = RunScope(logger, run.Id, run.SyncId);
        if (run.IsFinished)
        {
            return new ProcessResult(ProcessResultKind.AlreadyFinished, run);
        }

        await using var held = await runLock.TryAcquireAsync(run.SyncId, cancellationToken);
        if (held is null)
        {
            if (run.Status == RunStatus.Running)
            {
                return new ProcessResult(ProcessResultKind.RunningElsewhere, run);
            }
            // Holding the message would burn retries; the running run ends soon and the dispatcher brings this one back.
            var deferred = await runs.DeferAsync(run.Id, time.GetUtcNow() + options.Value.BusyRetryDelay, cancellationToken);
            metrics.Retried("busy");
            LogBusy(run.Id, run.SyncId);
            return new ProcessResult(ProcessResultKind.Deferred, deferred ?? run);
        }

        var started = await runs.TryStartAsync(runId, worker, cancellationToken);
        if (started is null)
        {
            return new ProcessResult(ProcessResultKind.AlreadyFinished, (await runs.GetAsync(runId, cancellationToken))!);
        }
        LogStarted(run.Id, run.SyncId, started.Attempts);
        span?.SetTag("calsync.run.attempt", started.Attempts);
        metrics.Started(started);

        RunOutcome outcome;
        var progress = new AttemptProgress(runs, runId);
        using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost))
        {
            try
            {
                outcome = await work.ExecuteAsync(started, progress, attempt.Token);
            }
            catch (Exception ex)
            {
                return await FailAsync(started, held, ex, cancellationToken);
            }
        }
        if (held.Lost.IsCancellationRequested)
        {
            throw new RunLockLostException(run.SyncId);
        }

        // The mass-deletion guard stops a run before it deletes: it ends waiting for a person's confirmation.
        var status = outcome.NeedsConfirmation ? RunStatus.NeedsConfirmation : RunStatus.Succeeded;
        // The run row already holds what this attempt reported as it went, and what earlier attempts did.
        var finished = await runs.FinishAsync(runId, status, progress.Unreported(outcome), outcome.NeedsConfirmation ? NeedsConfirmationMessage : null, cancellationToken);
        return Finished(finished) ?? new ProcessResult(ProcessResultKind.AlreadyFinished, (await runs.GetAsync(runId, cancellationToken))!);
    }

    /// <summary>What a run stopped by the mass-deletion guard tells its owner.</summary>
    public const string NeedsConfirmationMessage =
        "Stopped before deleting: this run would delete more copies than the safety limit allows (by default, more than 10 and more than half of its copies). " +
        "Nothing was changed; its changes list what it would delete. If that is right, run it again with confirmDeletes.";

    private async Task<ProcessResult> FailAsync(Run run, RunLockHandle held, Exception exception, CancellationToken cancellationToken)
    {
        if (held.Lost.IsCancellationRequested)
        {
            throw new RunLockLostException(run.SyncId, exception);
        }
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // The worker is stopping and the run did not finish in time: give it back for another worker.
            await runs.HandBackAsync(run.Id, CancellationToken.None);
            metrics.Retried("handed_back");
            LogHandedBack(run.Id);
            return new ProcessResult(ProcessResultKind.HandedBack, run);
        }

        var kind = RunFailures.Classify(exception);
        if (kind == RunFailureKind.Transient)
        {
            // Brief infrastructure trouble: the message is retried at once and the next try takes the run over.
            ExceptionDispatchInfo.Throw(exception);
        }
        switch (kind)
        {
            case RunFailureKind.Retryable when run.Attempts < options.Value.MaxAttempts:
                var retryAfter = (exception as IRunFailure)?.RetryAfter;
                var delay = RunFailures.Backoff(run.Attempts, retryAfter, options.Value, Random.Shared.NextDouble());
                var retry = await runs.RetryLaterAsync(run.Id, time.GetUtcNow() + delay, exception.Message, cancellationToken);
                metrics.Retried("retryable");
                LogRetry(run.Id, run.Attempts, delay, exception.Message);
                if (retry is null)
                {
                    return new ProcessResult(ProcessResultKind.AlreadyFinished, (await runs.GetAsync(run.Id, cancellationToken))!);
                }
                return retry.CarriedBy is null
                    ? new ProcessResult(ProcessResultKind.RetryScheduled, retry.Run)
                    : Finished(retry.Run)!;
            case RunFailureKind.Retryable:
                return await FailRunAsync(run, $"Gave up after {run.Attempts} attempts: {exception.Message}", cancellationToken);
            case RunFailureKind.Permanent:
                return await FailRunAsync(run, exception.Message, cancellationToken);
            default:
                LogCrashed(exception, run.Id);
                var failed = await FailRunAsync(run, $"Unexpected error ({exception.GetType().Name}): {exception.Message}", cancellationToken);
                throw new RunCrashedException(failed.Run, exception);
        }
    }

    private async Task<ProcessResult> FailRunAsync(Run run, string error, CancellationToken cancellationToken)
    {
        // What the attempts did before the failure stays counted: Google has those writes.
        var failed = await runs.FinishAsync(run.Id, RunStatus.Failed, RunOutcome.Nothing, error, cancellationToken);
        LogFailed(run.Id, error);
        return Finished(failed) ?? new ProcessResult(ProcessResultKind.AlreadyFinished, (await runs.GetAsync(run.Id, cancellationToken))!);
    }

    private ProcessResult? Finished(Run? run)
    {
        if (run is null)
        {
            return null;
        }
        metrics.Finished(run);
        return new ProcessResult(ProcessResultKind.Finished, run);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of sync {SyncId} started (attempt {Attempt})")]
    private partial void LogStarted(Guid runId, Guid syncId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} waits: sync {SyncId} is running elsewhere")]
    private partial void LogBusy(Guid runId, Guid syncId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} attempt {Attempt} failed and is retried in {Delay}: {Error}")]
    private partial void LogRetry(Guid runId, int attempt, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} failed: {Error}")]
    private partial void LogFailed(Guid runId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} crashed")]
    private partial void LogCrashed(Exception exception, Guid runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} handed back: the worker is stopping")]
    private partial void LogHandedBack(Guid runId);
}
