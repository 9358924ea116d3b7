using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>What the rules make of an origin: no copy (and which rule said so), or the copy to write.</summary>
public abstract record CopyVerdict;

/// <summary>The origin is not copied: <see cref="Rule"/> names the rule as the sync's JSON spells it.</summary>
public sealed record SkipCopy(string Rule, string Why) : CopyVerdict
{
    public string Reason => $"not copied: {Why} (rule {Rule})";
}

public sealed record MakeCopy(GoogleEvent Body) : CopyVerdict;

/// <summary>
/// The one place a direction's rules are applied: the filter decides whether an origin is copied, the look
/// what its copy shows. Pure, like the planner that calls it.
/// </summary>
public static partial class CopyRules
{
    /// <summary>The event types a copy can have besides a default event.</summary>
    public static IReadOnlyList<string> OwnTypes { get; } = [EventTypes.OutOfOffice, EventTypes.FocusTime];

    /// <summary>
    /// Whether the origin is copied, and the copy under <paramref name="copyId"/>: a copy has the type its id names
    /// (<see cref="CopyIds"/>), so a copy made before a rule change keeps its type until it is replaced.
    /// </summary>
    public static CopyVerdict Evaluate(SyncDefinition sync, Side originSide, GoogleEvent origin, string copyId)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(origin);
        var style = sync.StyleForCopiesOf(originSide);
        var prefix = $"{SyncDefinition.RulesName(originSide)}.filter.";
        if (SkippedBy(style.Filter, origin) is { } skip)
        {
            return skip with { Rule = prefix + skip.Rule };
        }
        return new MakeCopy(RenderAs(sync, originSide, origin, copyId));
    }

    /// <summary>The copy under <paramref name="copyId"/>, whatever the filter says, in the type the id names.</summary>
    public static GoogleEvent RenderAs(SyncDefinition sync, Side originSide, GoogleEvent origin, string copyId)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(origin);
        var type = origin.EventType is { } own && OwnTypes.Contains(own) && copyId == CopyIds.For(sync.Id, originSide, origin.Id!, own) ? own : null;
        return Render(origin, sync.StyleForCopiesOf(originSide), sync.LabelOf(originSide), sync.Id, copyId, type);
    }

    /// <summary>
    /// The type the rules want for the origin's copy: its own (out of office, focus time) when the direction's rule
    /// asks for it and the target takes it (its account's primary calendar, a timed event); null for a default event.
    /// </summary>
    public static string? OwnTypeOf(SyncDefinition sync, Side originSide, GoogleEvent origin)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(origin);
        var filter = sync.StyleForCopiesOf(originSide).Filter;
        var rule = origin.EventType switch
        {
            EventTypes.OutOfOffice => filter.OutOfOffice,
            EventTypes.FocusTime => filter.FocusTime,
            _ => BusyTypeRule.Busy,
        };
        return rule == BusyTypeRule.OwnType && origin.Start?.DateTime is not null && sync.IsPrimaryCalendar(originSide.Other())
            ? origin.EventType
            : null;
    }

    /// <summary>A copy's type in words, for the run's changes.</summary>
    public static string Shown(string? eventType) => eventType switch
    {
        EventTypes.OutOfOffice => "an out-of-office event",
        EventTypes.FocusTime => "a focus-time event",
        _ => "a busy event",
    };

    /// <summary>The id the rules want for the origin's copy (<see cref="CopyIds"/>, in the type <see cref="OwnTypeOf"/> says).</summary>
    public static string CopyIdOf(SyncDefinition sync, Side originSide, GoogleEvent origin) =>
        CopyIds.For(sync.Id, originSide, origin.Id!, OwnTypeOf(sync, originSide, origin));

    /// <summary>The first rule of the filter the origin fails, or null when it is copied.</summary>
    private static SkipCopy? SkippedBy(CopyFilter filter, GoogleEvent origin)
    {
        switch (origin.EventType)
        {
            case EventTypes.OutOfOffice when filter.OutOfOffice == BusyTypeRule.Skip:
                return new SkipCopy("outOfOffice", "an out-of-office event");
            case EventTypes.FocusTime when filter.FocusTime == BusyTypeRule.Skip:
                return new SkipCopy("focusTime", "a focus-time event");
            case EventTypes.WorkingLocation when filter.WorkingLocation == PersonalTypeRule.Skip:
                return new SkipCopy("workingLocation", "a working-location event");
            case EventTypes.Birthday when filter.Birthday == PersonalTypeRule.Skip:
                return new SkipCopy("birthday", "a birthday");
            case not (null or EventTypes.Default or EventTypes.FromGmail or EventTypes.OutOfOffice or EventTypes.FocusTime
                or EventTypes.WorkingLocation or EventTypes.Birthday):
                // A type Google adds later: nothing is known of what it may carry, so it is not copied.
                return new SkipCopy("eventType", $"{origin.EventType} events are not copied");
        }
        switch (ResponseOf(origin))
        {
            case "declined" when filter.SkipDeclined:
                return new SkipCopy("skipDeclined", "the invitation was declined");
            case "tentative" when filter.Tentative == InvitationRule.Skip:
                return new SkipCopy("tentative", "the invitation was answered \"maybe\"");
            case "needsAction" when filter.NeedsAction == InvitationRule.Skip:
                return new SkipCopy("needsAction", "the invitation is not answered yet");
        }
        if (origin.Transparency == "transparent" && filter.FreeEvents == FreeEventRule.Skip)
        {
            return new SkipCopy("freeEvents", "the event is marked free");
        }
        if (origin.Start?.Date is not null)
        {
            if (filter.AllDay == AllDayRule.Skip)
            {
                return new SkipCopy("allDay", "an all-day event");
            }
            if (filter.AllDay == AllDayRule.BusyOnly && origin.Transparency == "transparent")
            {
                return new SkipCopy("allDay", "an all-day event marked free");
            }
        }
        if (filter.WorkingHours is { } hours && !OverlapsWorkingHours(origin, hours))
        {
            return new SkipCopy("workingHours", "outside working hours");
        }
        if (filter.IncludeColors.Count > 0 && (origin.ColorId is not { } colour || !filter.IncludeColors.Contains(colour)))
        {
            return new SkipCopy("includeColors", "its colour is not one of those copied");
        }
        if (origin.ColorId is { } excluded && filter.ExcludeColors.Contains(excluded))
        {
            return new SkipCopy("excludeColors", $"its colour is {excluded}");
        }
        if (filter.Exclude.FirstOrDefault(word => Mentions(origin, word, filter.MatchDescription)) is { } word)
        {
            return new SkipCopy("exclude", $"it mentions \"{word}\"");
        }
        if (filter.Include.Count > 0 && !filter.Include.Any(w => Mentions(origin, w, filter.MatchDescription)))
        {
            return new SkipCopy("include", "it mentions none of the words copied");
        }
        return null;
    }

    /// <summary>The person's own answer to an invitation; null for their own events.</summary>
    public static string? ResponseOf(GoogleEvent e) =>
        e.Organizer is { Self: true } ? null : e.Attendees?.FirstOrDefault(a => a.Self == true)?.ResponseStatus;

    private static bool Mentions(GoogleEvent e, string word, bool inDescription) =>
        (e.Summary?.Contains(word, StringComparison.OrdinalIgnoreCase) ?? false)
        || (inDescription && (e.Description?.Contains(word, StringComparison.OrdinalIgnoreCase) ?? false));

    /// <summary>
    /// Does the event overlap a working stretch (a working day's from–to in the rule's zone)? All-day dates are
    /// the days of the rule's zone. An event as long as a week overlaps every day of the week.
    /// </summary>
    public static bool OverlapsWorkingHours(GoogleEvent e, WorkingHours hours)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(hours);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(hours.TimeZone);
        if (Instant(e.Start, zone) is not { } start || Instant(e.End, zone) is not { } end)
        {
            return false;
        }
        if (end - start >= TimeSpan.FromDays(8))
        {
            return hours.Days.Count > 0;
        }
        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, zone).DateTime).AddDays(-1);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(end, zone).DateTime).AddDays(1);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (hours.Days.Contains(day.DayOfWeek)
                && Local(day.ToDateTime(hours.From), zone) < end && Local(day.ToDateTime(hours.To), zone) > start)
            {
                return true;
            }
        }
        return false;
    }

    private static DateTimeOffset? Instant(EventDateTime? time, TimeZoneInfo zone) => time switch
    {
        { DateTime: { } at } => at,
        { Date: { } date } => Local(date.ToDateTime(TimeOnly.MinValue), zone),
        _ => null,
    };

    /// <summary>A wall-clock time in a zone as an instant; a time skipped by a clock change counts from the change.</summary>
    private static DateTimeOffset Local(DateTime wall, TimeZoneInfo zone)
    {
        while (zone.IsInvalidTime(wall))
        {
            wall = wall.AddMinutes(15);
        }
        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }

    /// <summary>
    /// The copy: the look's fields, the direction's colour, never guests, and the marker naming sync and origin.
    /// A default event unless <paramref name="eventType"/> names the origin's own type: then it carries the origin's
    /// properties of that type (its decline message only where the look keeps the description), is busy, and has no
    /// conference, as Google requires of such events. Type-specific properties never go on a default event (Google
    /// answers 400).
    /// </summary>
    public static GoogleEvent Render(GoogleEvent origin, CopyStyle style, SideLabel label, Guid syncId, string copyId, string? eventType = null)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(style);
        ArgumentNullException.ThrowIfNull(label);
        var look = style.EffectiveLook;
        var copy = RenderDefault(origin, style, look, label, syncId, copyId);
        return eventType switch
        {
            EventTypes.OutOfOffice => copy with
            {
                EventType = eventType, Transparency = "opaque", ConferenceData = null,
                OutOfOfficeProperties = StatusProperties(origin.OutOfOfficeProperties, look),
            },
            EventTypes.FocusTime => copy with
            {
                EventType = eventType, Transparency = "opaque", ConferenceData = null,
                FocusTimeProperties = StatusProperties(origin.FocusTimeProperties, look),
            },
            _ => copy,
        };
    }

    /// <summary>The origin's out-of-office or focus-time properties on its copy; Google wants them present, even empty.</summary>
    private static JsonElement StatusProperties(JsonElement? origin, CopyLook look)
    {
        var properties = origin is { ValueKind: JsonValueKind.Object } given ? (JsonObject)JsonNode.Parse(given.GetRawText())! : [];
        if (look.Description == FieldRule.Drop)
        {
            properties.Remove("declineMessage");
        }
        return JsonSerializer.SerializeToElement(properties);
    }

    private static GoogleEvent RenderDefault(GoogleEvent origin, CopyStyle style, CopyLook look, SideLabel label, Guid syncId, string copyId)
    {
        return new GoogleEvent
        {
            Id = copyId,
            Status = origin.Status is EventStatus.Tentative ? EventStatus.Tentative : EventStatus.Confirmed,
            Summary = look.Title switch
            {
                TitleRule.Placeholder => style.Placeholder,
                TitleRule.Template => Fill(look.TitleTemplate, origin, label),
                _ => origin.Summary,
            },
            Description = Description(origin, look),
            Location = look.Location == FieldRule.Keep ? origin.Location : null,
            ConferenceData = look.Conference == FieldRule.Keep ? JoiningOf(origin.ConferenceData) : null,
            Start = origin.Start,
            End = origin.End,
            Transparency = Transparency(origin, style),
            Visibility = look.Visibility switch
            {
                VisibilityRule.Private => "private",
                VisibilityRule.Default => null,
                _ => origin.Visibility,
            },
            // A private copy shows nothing of its origin, its colour included, unless the sync sets one.
            ColorId = style.ColorId ?? (style.Privacy ? null : origin.ColorId),
            Reminders = look.Reminders == ReminderRule.CalendarDefault ? new EventReminders { UseDefault = true } : EventReminders.None,
            ExtendedProperties = new CopyMarker(syncId, origin.Id!).ToProperties(),
        };
    }

    /// <summary>
    /// How to join the origin's conference, without what would ask Google for a conference of the copy's own
    /// (<c>createRequest</c>) or vouch for the origin's (<c>signature</c>). None while it has no entry points yet.
    /// </summary>
    private static ConferenceData? JoiningOf(ConferenceData? conference) => conference is { EntryPoints.Count: > 0 }
        ? new ConferenceData
        {
            ConferenceId = conference.ConferenceId,
            ConferenceSolution = conference.ConferenceSolution,
            EntryPoints = conference.EntryPoints,
            Notes = conference.Notes,
            Parameters = conference.Parameters,
        }
        : null;

    /// <summary>
    /// Busy or free on the copy, the most specific rule last: the origin's, busy for out-of-office and focus time,
    /// free for working locations and birthdays, the look's show-as, then the rule for unanswered or "maybe" invitations.
    /// </summary>
    private static string? Transparency(GoogleEvent origin, CopyStyle style)
    {
        var transparency = origin.EventType switch
        {
            EventTypes.OutOfOffice or EventTypes.FocusTime => "opaque",
            EventTypes.WorkingLocation or EventTypes.Birthday => "transparent",
            _ => origin.Transparency,
        };
        transparency = style.Look.ShowAs switch
        {
            ShowAsRule.Busy => "opaque",
            ShowAsRule.Free => "transparent",
            _ => transparency,
        };
        var invitation = ResponseOf(origin) switch
        {
            "tentative" => style.Filter.Tentative,
            "needsAction" => style.Filter.NeedsAction,
            _ => InvitationRule.Copy,
        };
        return invitation switch
        {
            InvitationRule.Busy => "opaque",
            InvitationRule.Free => "transparent",
            _ => transparency,
        };
    }

    /// <summary>Does the copy show the origin's busy/free as it is (so an edit of it may travel back, two-way)?</summary>
    public static bool KeepsTransparency(GoogleEvent origin, CopyStyle style)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(style);
        var invitation = ResponseOf(origin) switch
        {
            "tentative" => style.Filter.Tentative,
            "needsAction" => style.Filter.NeedsAction,
            _ => InvitationRule.Copy,
        };
        return style.Look.ShowAs == ShowAsRule.Keep && invitation == InvitationRule.Copy && origin.EventType is null or EventTypes.Default;
    }

    private static string? Description(GoogleEvent origin, CopyLook look)
    {
        var text = look.Description == FieldRule.Keep ? origin.Description : null;
        var guests = look.Attendees == AttendeeRule.None
            ? []
            : (origin.Attendees ?? []).Where(a => a.Self != true).Select(a => Guest(a, look.Attendees)).ToList();
        if (guests.Count == 0)
        {
            return text;
        }
        var list = "Guests: " + string.Join(", ", guests);
        return string.IsNullOrEmpty(text) ? list : text + "\n\n" + list;
    }

    private static string Guest(EventAttendee guest, AttendeeRule rule)
    {
        // Without its email, a guest with no display name is known by the part of the address before the @.
        var name = !string.IsNullOrWhiteSpace(guest.DisplayName) ? guest.DisplayName! : guest.Email?.Split('@')[0] ?? "a guest";
        return rule == AttendeeRule.NamesAndEmails && !string.IsNullOrEmpty(guest.Email) ? $"{name} <{guest.Email}>" : name;
    }

    // One pass, so a title that itself holds "{calendar}" stays as it is.
    private static string Fill(string template, GoogleEvent origin, SideLabel label) => Placeholders().Replace(template, m => m.Groups[1].Value switch
    {
        "title" => origin.Summary ?? "",
        "calendar" => label.Calendar,
        _ => label.Account,
    });

    /// <summary>The first <c>{name}</c> in a title template that is no placeholder (a misspelling, say); null when there is none.</summary>
    public static string? UnknownPlaceholder(string template) =>
        AnyPlaceholder().Matches(template).Select(m => m.Value).FirstOrDefault(p => !Placeholders().IsMatch(p));

    [GeneratedRegex(@"\{(title|calendar|account)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholders();

    [GeneratedRegex(@"\{[A-Za-z_][A-Za-z0-9_]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex AnyPlaceholder();
}
