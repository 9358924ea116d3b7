using CalSync.Engine.Sync;
using Quartz;

namespace CalSync.Worker.Schedules;

/// <summary>
/// One Quartz cron trigger per scheduled sync, keyed by the sync id in the <c>sync-schedules</c> group. A
/// sync's 5-field cron is read in Quartz's Unix format (minute hour day-of-month month day-of-week, Sunday
/// = 0 or 7) in the sync's time zone. After downtime a trigger fires once and carries on (at most one
/// catch-up run per sync).
/// </summary>
public static class SyncScheduleTriggers
{
    public const string Group = "sync-schedules";
    public static readonly JobKey JobKey = new("sync-schedule", "calsync");

    public static TriggerKey KeyOf(Guid syncId) => new(syncId.ToString(), Group);

    public static CronExpression Parse(string cron, string timeZone) =>
        CronExpression.Parse(cron, CronFormat.Unix).WithTimeZone(TimeZoneInfo.FindSystemTimeZoneById(timeZone));

    public static ITrigger Build(SyncSchedule schedule) =>
        TriggerBuilder.Create<SyncScheduleJob>()
            .WithIdentity(KeyOf(schedule.SyncId))
            .ForJob(JobKey)
            .UsingJobData(SyncScheduleJob.SyncIdKey, schedule.SyncId.ToString())
            .UsingJobData(CronKey, schedule.Cron)
            .UsingJobData(TimeZoneKey, schedule.TimeZone)
            .WithSchedule(CronScheduleBuilder.Create(schedule.Cron, CronFormat.Unix)
                .InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone))
                .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .StartNow()
            .Build();

    /// <summary>Whether an existing trigger still says what the sync's row says.</summary>
    public static bool Matches(ITrigger trigger, SyncSchedule schedule) =>
        trigger.JobDataMap.TryGetString(CronKey, out var cron) && cron == schedule.Cron
        && trigger.JobDataMap.TryGetString(TimeZoneKey, out var timeZone) && timeZone == schedule.TimeZone;

    /// <summary>A schedule Quartz can run: a valid 5-field cron and a known time zone.</summary>
    public static bool IsValid(SyncSchedule schedule, out string? problem)
    {
        try
        {
            _ = Parse(schedule.Cron, schedule.TimeZone);
            problem = null;
            return true;
        }
        catch (Exception ex) when (ex is FormatException or TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            problem = ex.Message;
            return false;
        }
    }

    private const string CronKey = "cron";
    private const string TimeZoneKey = "timeZone";
}
