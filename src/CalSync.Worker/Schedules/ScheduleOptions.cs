using System.ComponentModel.DataAnnotations;

namespace CalSync.Worker.Schedules;

/// <summary>Cron schedules (configuration section <c>Schedules</c>).</summary>
public sealed class ScheduleOptions
{
    public const string SectionName = "Schedules";

    /// <summary>Run the Quartz scheduler in this worker. Every worker normally does; they form one cluster.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The Quartz cluster's name: every worker sharing a database and this name shares the schedules and
    /// fires each of them once. Different names in one database are separate clusters.
    /// </summary>
    [Required]
    public string SchedulerName { get; set; } = "calsync";

    /// <summary>How often the <c>syncs</c> table is compared with the Quartz triggers, so that schedule changes apply without a restart.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a worker checks in with the cluster; a worker silent for longer has its triggers taken over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(5);
}
