using System.Diagnostics;
using CalSync.Contracts;
using CalSync.Engine.Hosting;
using CalSync.Engine.Runs;
using MassTransit;
using Quartz;

namespace CalSync.Worker.Schedules;

/// <summary>
/// A sync's cron fired (once across the cluster): queue a <c>schedule</c> run and announce it, as the Api
/// does for a manual one. If a run of the sync is already waiting the fire joins it (coalescing); if the
/// publish fails the dispatcher re-publishes the queued run.
/// </summary>
public sealed partial class SyncScheduleJob(RunStore runs, IBus bus, ILogger<SyncScheduleJob> logger) : IJob
{
    public const string SyncIdKey = "syncId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var syncId = Guid.Parse(context.MergedJobDataMap.GetString(SyncIdKey)!);
        // A scheduled run's trace starts here: the run stores it, and the worker that takes the run up continues it.
        using var span = Telemetry.Source.StartActivity("schedule fired", ActivityKind.Internal, parentContext: default);
        span?.SetTag(Telemetry.SyncIdAttribute, syncId.ToString());
        var (run, created) = await runs.EnqueueAsync(syncId, RunTrigger.Schedule, fullResync: false, dryRun: false, cancellationToken);
        LogFired(syncId, run.Id, created);
        span?.SetTag(Telemetry.RunIdAttribute, run.Id.ToString());
        if (!created)
        {
            return;
        }
        await bus.Publish(new SyncRequested(run.Id, run.SyncId, run.Trigger, run.QueuedAt, run.FullResync, run.DryRun), cancellationToken);
        await runs.MarkPublishedAsync(run.Id, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule of sync {SyncId} fired: run {RunId} (new: {Created})")]
    private partial void LogFired(Guid syncId, Guid runId, bool created);
}
