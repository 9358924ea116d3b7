using System.Globalization;
using CalSync.Api.Syncs;
using CalSync.Engine.Sync;
using Quartz;

namespace CalSync.Api.Dashboard;

/// <summary>
/// A schedule as people pick it (every 5, 15 or 60 minutes, daily at a time, or a cron of their own) and the cron
/// the API stores for it. The fire times come from Quartz, the parser the workers schedule with.
/// </summary>
public sealed class ScheduleChoice
{
    public const string None = "none";
    public const string Every5 = "every5";
    public const string Every15 = "every15";
    public const string Hourly = "hourly";
    public const string Daily = "daily";
    public const string Custom = "cron";

    private static readonly Dictionary<string, string> Fixed = new()
    {
        [Every5] = "*/5 * * * *",
        [Every15] = "*/15 * * * *",
        [Hourly] = "0 * * * *",
    };

    public string Kind { get; set; } = None;

    /// <summary>HH:mm, for <see cref="Daily"/>.</summary>
    public string DailyAt { get; set; } = "07:00";

    public string Cron { get; set; } = "";

    /// <summary>Empty: the browser fills in the person's own zone (dashboard.js), else UTC.</summary>
    public string TimeZone { get; set; } = "";

    public static ScheduleChoice From(CronSchedule? schedule)
    {
        if (schedule is null)
        {
            return new ScheduleChoice();
        }
        var choice = new ScheduleChoice { Cron = schedule.Cron, TimeZone = schedule.TimeZone, Kind = Custom };
        if (Fixed.FirstOrDefault(kv => kv.Value == schedule.Cron).Key is { } kind)
        {
            choice.Kind = kind;
        }
        else if (schedule.Cron.Split(' ') is [var m, var h, "*", "*", "*"]
                 && int.TryParse(m, CultureInfo.InvariantCulture, out var minute) && int.TryParse(h, CultureInfo.InvariantCulture, out var hour))
        {
            choice.Kind = Daily;
            choice.DailyAt = $"{hour:00}:{minute:00}";
        }
        return choice;
    }

    /// <summary>The schedule the API validates; null for none.</summary>
    public SyncScheduleBody? ToBody(FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var zone = string.IsNullOrWhiteSpace(TimeZone) ? "UTC" : TimeZone;
        switch (Kind)
        {
            case None:
                return null;
            case Daily:
                if (!TimeOnly.TryParseExact(DailyAt, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
                {
                    errors.Add("schedule.dailyAt", "A time of day is required, e.g. 07:30.");
                    return null;
                }
                return new SyncScheduleBody { Cron = $"{at.Minute} {at.Hour} * * *", TimeZone = zone };
            case Custom:
                return new SyncScheduleBody { Cron = Cron, TimeZone = zone };
            default:
                return Fixed.TryGetValue(Kind, out var cron) ? new SyncScheduleBody { Cron = cron, TimeZone = zone } : null;
        }
    }

    /// <summary>The next <paramref name="count"/> times a valid schedule fires after <paramref name="now"/>.</summary>
    public static IReadOnlyList<DateTimeOffset> NextFireTimes(CronSchedule schedule, DateTimeOffset now, int count)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var expression = CronExpression.Parse(schedule.Cron, CronFormat.Unix).WithTimeZone(TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone));
        var times = new List<DateTimeOffset>();
        var after = now;
        while (times.Count < count && expression.GetNextValidTimeAfter(after) is { } next)
        {
            times.Add(next);
            after = next;
        }
        return times;
    }
}
