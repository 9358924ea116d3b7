using CalSync.Engine.Sync;

namespace CalSync.Api.Syncs;

/// <summary>
/// What a sync's settings must satisfy by themselves, for a create and for the result of a patch alike. The
/// ranges are the <c>syncs</c> table's checks (0001_initial.sql), so a valid sync always stores. Whether the
/// calendars exist and can be written is asked of Google afterwards (<see cref="SyncCalendarCheck"/>).
/// </summary>
public static class SyncRules
{
    public const int DefaultPastDays = 0;
    public const int DefaultFutureDays = 90;
    public const int MaxDays = 3650;
    public const int MaxNameLength = 200;
    public const int MaxPlaceholderLength = 100;
    public const string DefaultPlaceholder = "Busy";
    public const string DefaultConflictPolicy = "origin-wins";
    public const string OneWay = "one-way";
    public const string TwoWay = "two-way";

    private static readonly string[] Directions = [OneWay, TwoWay];
    private static readonly string[] ConflictPolicies = [DefaultConflictPolicy, "newest-wins", "source-wins", "target-wins"];

    // Google's event colour ids (colors.get: event palette).
    private static readonly string[] ColorIds = [.. Enumerable.Range(1, 11).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The settings, or null with the reasons in <paramref name="errors"/>.</summary>
    public static SyncSettings? Check(SyncBody body, DateTimeOffset now, TimeSpan minimumInterval, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(errors);
        var name = body.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors.Add("name", "A name is required.");
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add("name", $"A name has at most {MaxNameLength} characters.");
        }
        var source = Calendar("source", body.Source, errors);
        var target = Calendar("target", body.Target, errors);
        OneOf("direction", body.Direction, Directions, errors);
        if (body.PastDays is < 0 or > MaxDays)
        {
            errors.Add("pastDays", $"pastDays is from 0 to {MaxDays}.");
        }
        if (body.FutureDays is < 1 or > MaxDays)
        {
            errors.Add("futureDays", $"futureDays is from 1 to {MaxDays}.");
        }
        var toTarget = Copy("copyToTarget", body.CopyToTarget, errors);
        CopyStyle? toSource = null;
        if (body.Direction == TwoWay)
        {
            toSource = Copy("copyToSource", body.CopyToSource, errors);
        }
        else if (body.CopyToSource is not null)
        {
            // Refused rather than ignored: someone who asked for private copies must not believe they have them.
            errors.Add("copyToSource", "Only a two-way sync copies events to the source: leave copyToSource out, or make the sync two-way.");
        }
        OneOf("conflictPolicy", body.ConflictPolicy, ConflictPolicies, errors);
        var schedule = body.Schedule is null ? null : CronSchedules.Check(body.Schedule, now, minimumInterval, errors);

        return errors.Any
            ? null
            : new SyncSettings(name!, source!, target!, body.Direction, body.PastDays, body.FutureDays, toTarget!, toSource,
                body.ConflictPolicy, schedule, body.Active);
    }

    private static CalendarRef? Calendar(string field, SyncCalendar? calendar, FieldErrors errors)
    {
        if (calendar is null)
        {
            errors.Add(field, $"{field} is required: {{ \"accountId\", \"calendarId\" }}.");
            return null;
        }
        if (string.IsNullOrWhiteSpace(calendar.CalendarId))
        {
            errors.Add($"{field}.calendarId", "A calendar id is required (or \"primary\").");
            return null;
        }
        return new CalendarRef(calendar.AccountId, calendar.CalendarId);
    }

    private static CopyStyle? Copy(string field, CopyOptions? copy, FieldErrors errors)
    {
        if (copy is null)
        {
            return CopyStyle.Plain;
        }
        var valid = true;
        if (string.IsNullOrWhiteSpace(copy.Placeholder) || copy.Placeholder.Length > MaxPlaceholderLength)
        {
            errors.Add($"{field}.placeholder", $"A placeholder has 1 to {MaxPlaceholderLength} characters and is not blank.");
            valid = false;
        }
        if (copy.ColorId is not null && !ColorIds.Contains(copy.ColorId))
        {
            errors.Add($"{field}.colorId", "A Google event colour id, \"1\" to \"11\", or null for none.");
            valid = false;
        }
        var filter = CopyRuleChecks.Filter(field, copy.Filter, copy.FilterBase, errors);
        var look = CopyRuleChecks.Look(field, copy.Look, copy.LookBase, errors);
        return valid && filter is not null && look is not null
            ? new CopyStyle(copy.Privacy, copy.Placeholder, copy.ColorId) { Filter = filter, Look = look }
            : null;
    }

    private static void OneOf(string field, string? value, string[] allowed, FieldErrors errors)
    {
        if (value is null || !allowed.Contains(value))
        {
            errors.Add(field, $"{field} is one of: {string.Join(", ", allowed)}.");
        }
    }
}
