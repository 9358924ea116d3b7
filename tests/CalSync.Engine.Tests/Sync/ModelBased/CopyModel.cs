using System.Globalization;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;

namespace CalSync.Engine.Tests.Sync.ModelBased;

/// <summary>
/// What a copy must show and when it must exist, stated from design.md ("Content", "Privacy mode", "Colour",
/// "Event types", "Window") and the README's copy rules, and written without the engine's rules, renderer, hash or window: the property test
/// checks the engine against this, so a mistake in the engine cannot agree with itself.
/// </summary>
internal static class CopyModel
{
    public static void AssertCopy(GoogleEvent origin, GoogleEvent copy, CopyStyle style)
    {
        var why = $"copy {copy.Id} of {origin.Id} ({Quote(origin.Summary)})";
        var look = style.Look;
        var title = style.Privacy || look.Title == TitleRule.Placeholder ? style.Placeholder
            : look.Title == TitleRule.Template ? "[" + (origin.Summary ?? "") + "]"
            : Text(origin.Summary);
        Assert.True(Text(copy.Summary) == title, $"{why}: summary {Quote(copy.Summary)}, expected {Quote(title)}");
        Assert.True(Text(copy.Description) == (style.Privacy || look.Description == FieldRule.Drop ? null : Text(origin.Description)), $"{why}: description");
        Assert.True(Text(copy.Location) == (style.Privacy || look.Location == FieldRule.Drop ? null : Text(origin.Location)), $"{why}: location");
        Assert.True(Time(copy.Start) == Time(origin.Start) && Time(copy.End) == Time(origin.End), $"{why}: times {Time(copy.Start)} {Time(origin.Start)}");
        Assert.True(Busy(origin, style) == (Text(copy.Transparency) is null or "opaque"), $"{why}: busy/free {copy.Transparency}");
        var visibility = style.Privacy || look.Visibility == VisibilityRule.Private ? "private"
            : look.Visibility == VisibilityRule.Default ? "default"
            : Text(origin.Visibility) ?? "default";
        Assert.True((Text(copy.Visibility) ?? "default") == visibility, $"{why}: visibility {copy.Visibility}");
        var colour = style.ColorId ?? (style.Privacy ? null : Text(origin.ColorId));
        Assert.True(Text(copy.ColorId) == colour, $"{why}: colour {copy.ColorId}, expected {colour}");
        Assert.True(OwnType(origin, style) ? copy.EventType == EventTypes.OutOfOffice : copy.EventType is null or EventTypes.Default, $"{why}: type {copy.EventType}");
        if (OwnType(origin, style))
        {
            // Its settings are the origin's: whether it declines (not declining equals no setting), and its message where descriptions travel.
            static string? Declining(string? mode) => mode is "declineNone" ? null : mode;
            var message = style.Privacy || look.Description == FieldRule.Drop ? null : Setting(origin, "declineMessage");
            Assert.True(Declining(Setting(copy, "autoDeclineMode")) == Declining(Setting(origin, "autoDeclineMode")) && Setting(copy, "declineMessage") == message,
                $"{why}: settings {copy.OutOfOfficeProperties}, expected {origin.OutOfOfficeProperties}");
        }
        Assert.True((copy.Reminders?.UseDefault == true) == (look.Reminders == ReminderRule.CalendarDefault), $"{why}: reminders {copy.Reminders?.UseDefault}");
        Assert.True(copy.Attendees is null or { Count: 0 }, $"{why}: guests on a copy");
    }

    private static string? Setting(GoogleEvent e, string name) =>
        e.OutOfOfficeProperties is { ValueKind: System.Text.Json.JsonValueKind.Object } settings && settings.TryGetProperty(name, out var value) ? Text(value.GetString()) : null;

    /// <summary>
    /// Is an out-of-office origin copied as one? When its rule says so: every calendar of these scenarios is a primary
    /// one and every out-of-office event timed, so the target always takes it.
    /// </summary>
    private static bool OwnType(GoogleEvent origin, CopyStyle style) =>
        origin.EventType == EventTypes.OutOfOffice && style.Filter.OutOfOffice == BusyTypeRule.OwnType;

    /// <summary>
    /// Is the copy busy? A copy of its own type always is; an out-of-office one too, otherwise as the origin, unless show-as says,
    /// unless the rule for the person's answer says.
    /// </summary>
    private static bool Busy(GoogleEvent origin, CopyStyle style)
    {
        if (OwnType(origin, style))
        {
            return true;
        }
        var busy = origin.EventType is EventTypes.OutOfOffice or EventTypes.FocusTime || Text(origin.Transparency) is null or "opaque";
        busy = style.Look.ShowAs switch { ShowAsRule.Busy => true, ShowAsRule.Free => false, _ => busy };
        var rule = Answer(origin) switch { "needsAction" => style.Filter.NeedsAction, "tentative" => style.Filter.Tentative, _ => InvitationRule.Copy };
        return rule switch { InvitationRule.Busy => true, InvitationRule.Free => false, _ => busy };
    }

    /// <summary>Does the origin pass the direction's filter? (The rules the generator varies.)</summary>
    public static bool Passes(GoogleEvent origin, CopyFilter filter)
    {
        if (origin.EventType == EventTypes.OutOfOffice && filter.OutOfOffice == BusyTypeRule.Skip)
        {
            return false;
        }
        var answer = Answer(origin);
        if ((answer == "declined" && filter.SkipDeclined) || (answer == "tentative" && filter.Tentative == InvitationRule.Skip)
            || (answer == "needsAction" && filter.NeedsAction == InvitationRule.Skip))
        {
            return false;
        }
        var free = origin.Transparency == "transparent";
        if (free && filter.FreeEvents == FreeEventRule.Skip)
        {
            return false;
        }
        if (origin.Start?.Date is not null && (filter.AllDay == AllDayRule.Skip || (filter.AllDay == AllDayRule.BusyOnly && free)))
        {
            return false;
        }
        if (filter.WorkingHours is { } hours && !AnyMinuteAtWork(origin, hours))
        {
            return false;
        }
        var title = origin.Summary ?? "";
        if (filter.Exclude.Any(w => title.ToUpperInvariant().Contains(w.ToUpperInvariant(), StringComparison.Ordinal)))
        {
            return false;
        }
        return filter.Include.Count == 0 || filter.Include.Any(w => title.ToUpperInvariant().Contains(w.ToUpperInvariant(), StringComparison.Ordinal));
    }

    // The person's answer, read off the guest list: their own events have none.
    private static string? Answer(GoogleEvent e) =>
        e.Organizer?.Self == true ? null : e.Attendees?.FirstOrDefault(a => a.Self == true)?.ResponseStatus;

    /// <summary>Minute by minute: is some minute of the event on a working day, between from and to, in the rule's zone?</summary>
    private static bool AnyMinuteAtWork(GoogleEvent e, WorkingHours hours)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(hours.TimeZone);
        DateTimeOffset At(EventDateTime time) => time.Date is { } date
            ? new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(TimeOnly.MinValue), zone), TimeSpan.Zero)
            : time.DateTime!.Value;
        for (var t = At(e.Start!); t < At(e.End!); t = t.AddMinutes(1))
        {
            var local = TimeZoneInfo.ConvertTime(t, zone);
            var clock = TimeOnly.FromDateTime(local.DateTime);
            if (hours.Days.Contains(local.DayOfWeek) && clock >= hours.From && clock < hours.To)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Does the event fall in [today, today + futureDays] (whole days, UTC), all-day dates widened by 14 h for every zone?</summary>
    public static bool InWindow(GoogleEvent e, DateTimeOffset today, int futureDays)
    {
        var (start, end) = (Instant(e.Start, -14), Instant(e.End, +14));
        return end > today && start < today.AddDays(futureDays + 1);
    }

    private static DateTimeOffset Instant(EventDateTime? time, int allDayHours) => time switch
    {
        { DateTime: { } at } => at,
        { Date: { } date } => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(allDayHours),
        _ => throw new InvalidOperationException("An event without a time."),
    };

    private static string Time(EventDateTime? time) => time switch
    {
        { Date: { } date } => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        { DateTime: { } at } => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        _ => "",
    };

    private static string? Text(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Quote(string? value) => value is null ? "null" : $"\"{value.Replace("\0", "\\0", StringComparison.Ordinal)}\"";
}
