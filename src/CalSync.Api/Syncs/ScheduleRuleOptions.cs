namespace CalSync.Api.Syncs;

/// <summary>Rules for schedules (section <c>Schedules</c>, e.g. <c>Schedules__MinimumInterval</c>).</summary>
public sealed class ScheduleRuleOptions
{
    public const string SectionName = "Schedules";

    /// <summary>The least time between two fire times of a cron: each run costs Google quota. Default 5 minutes.</summary>
    public TimeSpan MinimumInterval { get; set; } = TimeSpan.FromMinutes(5);
}
