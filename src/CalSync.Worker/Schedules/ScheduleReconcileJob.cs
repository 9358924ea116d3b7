using CalSync.Engine.Sync;
using Quartz;

namespace CalSync.Worker.Schedules;

/// <summary>
/// Makes the Quartz triggers say what the <c>syncs</c> table says: a trigger for every active sync with a
/// cron, replaced when its cron or time zone changed, removed when the sync was paused, lost its schedule
/// or was deleted. Runs every few seconds on one node of the cluster at a time.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class ScheduleReconcileJob(SyncStore syncs, ILogger<ScheduleReconcileJob> logger) : IJob
{
    public static readonly JobKey Key = new("reconcile-schedules", "calsync");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var scheduler = context.Scheduler;
        var wanted = (await syncs.ListSchedulesAsync(cancellationToken)).ToDictionary(s => SyncScheduleTriggers.KeyOf(s.SyncId));
        var existing = await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(SyncScheduleTriggers.Group), cancellationToken);

        foreach (var key in existing.Where(k => !wanted.ContainsKey(k)))
        {
            await scheduler.UnscheduleJob(key, cancellationToken);
            LogRemoved(key.Name);
        }

        var current = (await scheduler.GetTriggers([.. wanted.Keys], cancellationToken)).ToDictionary(t => t.Key);
        foreach (var (key, schedule) in wanted)
        {
            if (current.TryGetValue(key, out var trigger) && SyncScheduleTriggers.Matches(trigger, schedule))
            {
                continue;
            }
            if (!SyncScheduleTriggers.IsValid(schedule, out var problem))
            {
                LogInvalid(schedule.SyncId, schedule.Cron, schedule.TimeZone, problem);
                continue;
            }
            await scheduler.ScheduleTrigger(SyncScheduleTriggers.Build(schedule), TriggerConflict.Replace, cancellationToken);
            LogScheduled(schedule.SyncId, schedule.Cron, schedule.TimeZone);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled sync {SyncId}: '{Cron}' in {TimeZone}")]
    private partial void LogScheduled(Guid syncId, string cron, string timeZone);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed the schedule of sync {SyncId}")]
    private partial void LogRemoved(string syncId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync {SyncId} has a schedule Quartz cannot run ('{Cron}' in {TimeZone}): {Problem}")]
    private partial void LogInvalid(Guid syncId, string cron, string timeZone, string? problem);
}
