using System.Diagnostics;
using CalSync.Contracts;
using CalSync.Engine.Hosting;
using CalSync.Engine.Runs;
using CalSync.Worker.Hosting;
using MassTransit;

namespace CalSync.Worker.Runs;

/// <summary>
/// Runs the sync a <see cref="SyncRequested"/> points at. How it ended is in its run row, which the Api and the
/// dashboard read; a crashed run's message goes on to the error queue (<see cref="RunCrashedException"/>).
/// </summary>
public sealed class SyncRequestedConsumer(RunProcessor processor, RunStore runs, WorkerIdentity worker) : IConsumer<SyncRequested>
{
    public async Task Consume(ConsumeContext<SyncRequested> context)
    {
        // Anything but a finished run (a duplicate, a deferral, a retry, a hand-back) is acked: the row
        // carries what happens next and the dispatcher re-publishes it when due.
        var result = await processor.ProcessAsync(context.Message.RunId, worker.Name, context.CancellationToken);
        if (result.Kind == ProcessResultKind.Finished)
        {
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
            // Published in the trace of what queued it, not of the run that just ended.
            using (Telemetry.StartFromStored("run re-published", ActivityKind.Producer, next.TraceParent))
            {
                await context.Publish(new SyncRequested(next.Id, next.SyncId, next.Trigger, next.QueuedAt, next.FullResync, next.DryRun));
            }
            // Unmarked (a crash in between), the dispatcher publishes it after its grace.
            await runs.MarkPublishedAsync(next.Id, context.CancellationToken);
        }
    }
}
