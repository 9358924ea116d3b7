using System.Diagnostics;
using CalSync.Contracts;
using CalSync.Engine.Hosting;
using CalSync.Engine.Runs;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CalSync.Worker.Runs;

/// <summary>
/// Every <see cref="DispatcherOptions.Interval"/>, re-publishes the runs that need a message: stranded,
/// due for a delayed retry, or orphaned by a dead worker. Every worker runs it; the claim in
/// <see cref="RunDispatcher"/> keeps them from publishing a run twice.
/// </summary>
public sealed partial class RunDispatcherService(
    RunDispatcher dispatcher, IBus bus, IOptions<DispatcherOptions> options, TimeProvider time, ILogger<RunDispatcherService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await dispatcher.DispatchAsync(PublishAsync, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database or broker is away; the next round tries again.
                    LogRoundFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// Re-publishes in the trace of what queued the run (stored with it), not in a trace of this round: the worker's
    /// consume and run spans of a retry or a takeover join the request's trace as its first attempt did.
    /// </summary>
    private async Task PublishAsync(Run run, CancellationToken cancellationToken)
    {
        using var span = Telemetry.StartFromStored("run re-published", ActivityKind.Producer, run.TraceParent);
        span?.SetTag(Telemetry.RunIdAttribute, run.Id.ToString());
        span?.SetTag(Telemetry.SyncIdAttribute, run.SyncId.ToString());
        await bus.Publish(new SyncRequested(run.Id, run.SyncId, run.Trigger, run.QueuedAt, run.FullResync, run.DryRun), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dispatcher round failed; retrying next round")]
    private partial void LogRoundFailed(Exception exception);
}
