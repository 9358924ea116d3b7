using CalSync.Contracts;
using CalSync.Engine.Runs;
using CalSync.Worker.Hosting;
using MassTransit;

namespace CalSync.Worker.Runs;

/// <summary>Runs the sync a <see cref="SyncRequested"/> points at and announces how it ended.</summary>
public sealed class SyncRequestedConsumer(RunProcessor processor, RunStore runs, WorkerIdentity worker, TimeProvider time) : IConsumer<SyncRequested>
{
    public async Task Consume(ConsumeContext<SyncRequested> context)
    {
        ProcessResult result;
        try
        {
            result = await processor.ProcessAsync(context.Message.RunId, worker.Name, context.CancellationToken);
        }
        catch (RunCrashedException crash)
        {
            // The run is failed; say so, and let the message go on to the error queue.
            await PublishFailedAsync(context, crash.Run);
            throw;
        }

        // Anything but a finished run (a duplicate, a deferral, a retry, a hand-back) is acked: the row
        // carries what happens next and the dispatcher re-publishes it when due.
        if (result.Kind == ProcessResultKind.Finished)
        {
            await (result.Run.Status == RunStatus.Failed ? PublishFailedAsync(context, result.Run) : PublishCompletedAsync(context, result.Run));
            await StartFollowUpAsync(context, result.Run.SyncId);
        }
    }

    /// <summary>
    /// A run that came while this one held the sync was deferred: announce it now the sync is free. A change
    /// pushed during a run then waits for that run, not for the busy delay and the dispatcher's round.
    /// </summary>
    private async Task StartFollowUpAsync(ConsumeContext context, Guid syncId)
    {
        if (await runs.TakeDeferredFollowUpAsync(syncId, context.CancellationToken) is { } next)
        {
            await context.Publish(new SyncRequested(next.Id, next.SyncId, next.Trigger, next.QueuedAt, next.FullResync, next.DryRun));
            // Unmarked (a crash in between), the dispatcher publishes it after its grace.
            await runs.MarkPublishedAsync(next.Id, context.CancellationToken);
        }
    }

    private Task PublishFailedAsync(ConsumeContext context, Run run) =>
        context.Publish(new SyncFailed(run.Id, run.SyncId, run.Error ?? "unknown error", Retryable: false, run.FinishedAt ?? time.GetUtcNow()));

    private Task PublishCompletedAsync(ConsumeContext context, Run run) =>
        context.Publish(new SyncCompleted(
            run.Id, run.SyncId, run.Created, run.Updated, run.Deleted, run.ApiCalls, run.Status, run.DryRun, run.FinishedAt ?? time.GetUtcNow()));
}
