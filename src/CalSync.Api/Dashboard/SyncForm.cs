using System.Globalization;
using CalSync.Api.Syncs;
using CalSync.Engine.Sync;

namespace CalSync.Api.Dashboard;

/// <summary>
/// The sync form as posted. It becomes the REST API's own <see cref="SyncBody"/> (create) or <see cref="SyncPatch"/>
/// (edit), so the same rules judge it; errors come back keyed by the API's field paths and are shown beside the
/// inputs that feed those paths. Numbers arrive as text so that "abc" is an error here, not a binding failure.
/// </summary>
public sealed class SyncForm
{
    public string Name { get; set; } = "";

    /// <summary>"accountId calendarId" of the chosen calendar.</summary>
    public string? Source { get; set; }

    public string? Target { get; set; }
    public string Direction { get; set; } = SyncRules.OneWay;
    public string PastDays { get; set; } = SyncRules.DefaultPastDays.ToString(CultureInfo.InvariantCulture);
    public string FutureDays { get; set; } = SyncRules.DefaultFutureDays.ToString(CultureInfo.InvariantCulture);
    public bool ToTargetPrivacy { get; set; }
    public string ToTargetPlaceholder { get; set; } = SyncRules.DefaultPlaceholder;
    public string? ToTargetColor { get; set; }
    public bool ToSourcePrivacy { get; set; }
    public string ToSourcePlaceholder { get; set; } = SyncRules.DefaultPlaceholder;
    public string? ToSourceColor { get; set; }
    public CopyRulesForm ToTargetRules { get; set; } = new();
    public CopyRulesForm ToSourceRules { get; set; } = new();
    public string ConflictPolicy { get; set; } = SyncRules.DefaultConflictPolicy;
    public ScheduleChoice Schedule { get; set; } = new();
    public bool Active { get; set; } = true;

    public static string CalendarValue(Guid accountId, string calendarId) => $"{accountId:D} {calendarId}";

    public static SyncForm From(SyncRecord sync)
    {
        ArgumentNullException.ThrowIfNull(sync);
        var s = sync.Settings;
        return new SyncForm
        {
            Name = s.Name,
            Source = CalendarValue(s.Source.AccountId, s.Source.CalendarId),
            Target = CalendarValue(s.Target.AccountId, s.Target.CalendarId),
            Direction = s.Direction,
            PastDays = s.PastDays.ToString(CultureInfo.InvariantCulture),
            FutureDays = s.FutureDays.ToString(CultureInfo.InvariantCulture),
            ToTargetPrivacy = s.CopyToTarget.Privacy,
            ToTargetPlaceholder = s.CopyToTarget.Placeholder,
            ToTargetColor = s.CopyToTarget.ColorId,
            ToSourcePrivacy = s.CopyToSource?.Privacy ?? false,
            ToSourcePlaceholder = s.CopyToSource?.Placeholder ?? SyncRules.DefaultPlaceholder,
            ToSourceColor = s.CopyToSource?.ColorId,
            ToTargetRules = CopyRulesForm.Of(s.CopyToTarget),
            ToSourceRules = CopyRulesForm.Of(s.CopyToSource),
            ConflictPolicy = s.ConflictPolicy,
            Schedule = ScheduleChoice.From(s.Schedule),
            Active = s.Active,
        };
    }

    /// <summary>The create body; what cannot even be read (a number, a picker left empty) goes into <paramref name="errors"/>.</summary>
    public SyncBody ToBody(FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var twoWay = Direction == SyncRules.TwoWay;
        return new SyncBody
        {
            Name = Name,
            Source = Calendar("source", Source, errors)!,
            Target = Calendar("target", Target, errors)!,
            Direction = Direction,
            PastDays = Number("pastDays", PastDays, errors),
            FutureDays = Number("futureDays", FutureDays, errors),
            CopyToTarget = new CopyOptions
            {
                Privacy = ToTargetPrivacy, Placeholder = ToTargetPlaceholder, ColorId = Color(ToTargetColor),
                Filter = ToTargetRules.ToFilter(), Look = ToTargetRules.ToLook(),
            },
            CopyToSource = twoWay
                ? new CopyOptions
                {
                    Privacy = ToSourcePrivacy, Placeholder = ToSourcePlaceholder, ColorId = Color(ToSourceColor),
                    Filter = ToSourceRules.ToFilter(), Look = ToSourceRules.ToLook(),
                }
                : null,
            ConflictPolicy = twoWay ? ConflictPolicy : SyncRules.DefaultConflictPolicy,
            Schedule = Schedule.ToBody(errors),
            Active = Active,
        };
    }

    /// <summary>
    /// The edit as a merge patch of every field the form shows (the calendars and direction are fixed); for a
    /// preview the sync is paused, so no scheduled run applies the changes before they are saved.
    /// </summary>
    public SyncPatch ToPatch(bool twoWay, FieldErrors errors, bool preview = false)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var schedule = Schedule.ToBody(errors);
        return new SyncPatch
        {
            Name = Name,
            PastDays = Number("pastDays", PastDays, errors),
            FutureDays = Number("futureDays", FutureDays, errors),
            CopyToTarget = new CopyOptionsPatch
            {
                Privacy = ToTargetPrivacy, Placeholder = ToTargetPlaceholder, ColorId = Color(ToTargetColor),
                Filter = ToTargetRules.ToFilter(), Look = ToTargetRules.ToLook(),
            },
            CopyToSource = twoWay
                ? new CopyOptionsPatch
                {
                    Privacy = ToSourcePrivacy, Placeholder = ToSourcePlaceholder, ColorId = Color(ToSourceColor),
                    Filter = ToSourceRules.ToFilter(), Look = ToSourceRules.ToLook(),
                }
                : null,
            ConflictPolicy = twoWay ? ConflictPolicy : SyncRules.DefaultConflictPolicy,
            Schedule = schedule is null ? null : new SchedulePatch { Cron = schedule.Cron, TimeZone = schedule.TimeZone },
            Active = !preview && Active,
        };
    }

    private static string? Color(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static SyncCalendar? Calendar(string field, string? value, FieldErrors errors)
    {
        var parts = (value ?? "").Split(' ', 2);
        if (parts.Length == 2 && Guid.TryParse(parts[0], out var accountId) && parts[1].Length > 0)
        {
            return new SyncCalendar { AccountId = accountId, CalendarId = parts[1] };
        }
        errors.Add($"{field}.calendarId", $"Choose the {field} calendar.");
        return null;
    }

    private static int Number(string field, string text, FieldErrors errors)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        errors.Add(field, "A whole number of days is required.");
        return 0;
    }
}
