using CalSync.Contracts;
using CalSync.Engine.Runs;
using CalSync.Worker.Hosting;
using MassTransit;

namespace CalSync.Worker.Runs;

/// <summary>Runs the sync a <see cref="SyncRequested"/> points at and announces how it ended.</summary>
public sealed class SyncRequestedConsumer(RunProcessor processor, WorkerIdentity worker, TimeProvider time) : IConsumer<SyncRequested>
{
    public async Task Consume(ConsumeContext<SyncRequested> context)
    {
        var result = await processor.ProcessAsync(context.Message.RunId, worker.Name, context.CancellationToken);
        if (result.Kind != ProcessResultKind.Finished)
        {
            // A redelivered or duplicate message: the run is done or in other hands, and nothing changes.
            return;
        }

        var run = result.Run;
        var finishedAt = run.FinishedAt ?? time.GetUtcNow();
        if (run.Status == RunStatus.Failed)
        {
            await context.Publish(new SyncFailed(run.Id, run.SyncId, run.Error ?? "unknown error", Retryable: false, finishedAt));
        }
        else
        {
            await context.Publish(new SyncCompleted(
                run.Id, run.SyncId, run.Created, run.Updated, run.Deleted, run.ApiCalls, run.Status, run.DryRun, finishedAt));
        }
    }
}
