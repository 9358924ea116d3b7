using CalSync.Contracts;
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
                    await dispatcher.DispatchAsync(
                        (run, ct) => bus.Publish(new SyncRequested(run.Id, run.SyncId, run.Trigger, run.QueuedAt, run.FullResync, run.DryRun), ct),
                        stoppingToken);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dispatcher round failed; retrying next round")]
    private partial void LogRoundFailed(Exception exception);
}
