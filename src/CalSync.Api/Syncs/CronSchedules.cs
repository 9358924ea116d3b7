using CalSync.Engine.Sync;
using Quartz;

namespace CalSync.Api.Syncs;

/// <summary>
/// Checks a schedule with the parser the workers schedule it with (Quartz's Unix cron format, as in
/// <c>CalSync.Worker/Schedules/SyncScheduleTriggers.Parse</c>), so whatever the Api accepts a worker can run.
/// </summary>
public static class CronSchedules
{
    // Far more than any real cron; keeps the parser from chewing on megabytes.
    private const int MaxCronLength = 200;

    // Enough consecutive fire times to cover any day or week pattern (a 5-minute cron fires 2016 times a week).
    private const int FireTimesChecked = 2100;

    public static CronSchedule? Check(SyncScheduleBody schedule, DateTimeOffset now, TimeSpan minimumInterval, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(errors);
        var zone = TimeZone(schedule.TimeZone, errors);
        var cron = schedule.Cron?.Trim();
        if (string.IsNullOrEmpty(cron) || cron.Length > MaxCronLength)
        {
            errors.Add("schedule.cron", "A 5-field cron is required, e.g. \"*/15 * * * *\".");
            return null;
        }
        // Quartz's own message for a wrong field count speaks of its CronFormat options; say it in the API's terms.
        // (A macro such as "@daily" is one word and valid.)
        var fields = cron.Split(' ', '\t').Count(f => f.Length > 0);
        if (!cron.StartsWith('@') && fields != 5)
        {
            errors.Add("schedule.cron", $"A cron has 5 fields (minute hour day-of-month month day-of-week); \"{cron}\" has {fields}.");
            return null;
        }
        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(cron, CronFormat.Unix);
        }
        catch (FormatException ex)
        {
            errors.Add("schedule.cron", ex.Message);
            return null;
        }
        if (zone is null)
        {
            return null;
        }
        // Quartz refuses to schedule a trigger that never fires (say, "0 0 31 2 *"); say so now rather than in a worker's log.
        expression = expression.WithTimeZone(zone);
        if (expression.GetNextValidTimeAfter(now) is not { } first)
        {
            errors.Add("schedule.cron", $"\"{cron}\" never fires.");
            return null;
        }
        if (ShortestGap(expression, first) is { } gap && gap < minimumInterval)
        {
            errors.Add("schedule.cron", $"\"{cron}\" fires {Describe(gap)} apart; a schedule may fire at most every {Describe(minimumInterval)}.");
            return null;
        }
        return new CronSchedule(cron, zone.Id);
    }

    /// <summary>The shortest time between consecutive fire times, as Quartz computes them, from <paramref name="first"/> on.</summary>
    private static TimeSpan? ShortestGap(CronExpression expression, DateTimeOffset first)
    {
        TimeSpan? shortest = null;
        var previous = first;
        for (var i = 0; i < FireTimesChecked && expression.GetNextValidTimeAfter(previous) is { } next; i++)
        {
            shortest = shortest is { } s && s <= next - previous ? s : next - previous;
            previous = next;
        }
        return shortest;
    }

    private static string Describe(TimeSpan span) => span switch
    {
        { TotalHours: >= 1 } when span.TotalHours == Math.Floor(span.TotalHours) => $"{span.TotalHours:0} h",
        { TotalMinutes: >= 1 } when span.TotalMinutes == Math.Floor(span.TotalMinutes) => $"{span.TotalMinutes:0} min",
        _ => $"{span.TotalSeconds:0} s",
    };

    private static TimeZoneInfo? TimeZone(string? id, FieldErrors errors)
    {
        // HasIanaId: on Linux a Windows name ("Pacific Standard Time") resolves too, but the contract is IANA names.
        if (string.IsNullOrWhiteSpace(id) || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) || !zone.HasIanaId)
        {
            errors.Add("schedule.timeZone", "An IANA time zone is required, e.g. \"Europe/Berlin\".");
            return null;
        }
        return zone;
    }
}
