using Microsoft.Extensions.Logging;

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
}

public sealed record ProcessResult(ProcessResultKind Kind, Run Run);

/// <summary>
/// Takes a queued run through its states under the sync's lock. Idempotent on the run id: a finished
/// run's redelivered message changes nothing, and a run left running by a dead worker is taken over.
/// </summary>
public sealed partial class RunProcessor(RunStore runs, RunLock runLock, ILogger<RunProcessor> logger)
{
    public async Task<ProcessResult> ProcessAsync(Guid runId, string worker, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken) ?? throw new UnknownRunException(runId);
        if (run.IsFinished)
        {
            return new ProcessResult(ProcessResultKind.AlreadyFinished, run);
        }

        await using var held = await runLock.TryAcquireAsync(run.SyncId, cancellationToken);
        if (held is null)
        {
            return run.Status == RunStatus.Running
                ? new ProcessResult(ProcessResultKind.RunningElsewhere, run)
                : throw new SyncBusyException(run.SyncId, run.Id);
        }

        var started = await runs.TryStartAsync(runId, worker, cancellationToken);
        if (started is null)
        {
            return new ProcessResult(ProcessResultKind.AlreadyFinished, (await runs.GetAsync(runId, cancellationToken))!);
        }
        LogStarted(run.Id, run.SyncId, started.Attempts);

        // The sync engine arrives with a later change: until then a run has no work between running and
        // succeeded, and its outcome says so (nothing created, updated or deleted, no Google calls).
        var outcome = RunOutcome.Nothing;

        var finished = await runs.FinishAsync(runId, RunStatus.Succeeded, outcome, error: null, cancellationToken);
        return finished is null
            ? new ProcessResult(ProcessResultKind.AlreadyFinished, (await runs.GetAsync(runId, cancellationToken))!)
            : new ProcessResult(ProcessResultKind.Finished, finished);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of sync {SyncId} started (attempt {Attempt})")]
    private partial void LogStarted(Guid runId, Guid syncId, int attempt);
}
