using CalSync.Contracts;
using CalSync.Engine.Runs;
using CalSync.Worker.Hosting;
using MassTransit;

namespace CalSync.Worker.Runs;

/// <summary>
/// Runs the sync a <see cref="SyncRequested"/> points at. How it ended is in its run row, which the Api and the
/// dashboard read; a crashed run's message goes on to the error queue (<see cref="RunCrashedException"/>).
/// </summary>
public sealed class SyncRequestedConsumer(RunProcessor processor, WorkerIdentity worker) : IConsumer<SyncRequested>
{
    // Anything but a finished run (a duplicate, a deferral, a retry, a hand-back) is acked: the row carries
    // what happens next and the dispatcher re-publishes it when due. A run deferred because its sync was busy
    // waits for the busy delay rather than starting the moment the running run ends: a burst's trailing
    // notifications (the running run's own echoes among them) then join it instead of queueing a third run.
    public Task Consume(ConsumeContext<SyncRequested> context) =>
        processor.ProcessAsync(context.Message.RunId, worker.Name, context.CancellationToken);
}
