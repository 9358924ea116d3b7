using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Api;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Events;

/// <summary>
/// Events with attendees: each attendee with an account gets a copy on its primary calendar under the
/// same id and iCalUID. Copies share everything but the per-person fields and the <c>self</c> flags, which are set from
/// the point of view of the calendar each copy is on. A write to any copy that changes shared content reaches every other copy.
/// </summary>
internal static class Invitations
{
    public static readonly string[] ResponseStatuses = ["needsAction", "declined", "tentative", "accepted"];

    /// <summary>What each person keeps for themselves on their copy; private extended properties too.</summary>
    private static readonly string[] PerCopy = ["reminders", "colorId", "transparency"];

    /// <summary>What a guest may change in its own attendee entry without guestsCanModify.</summary>
    private static readonly string[] OwnAnswer = ["responseStatus", "comment", "additionalGuests"];

    private static readonly string[] AttendeeOrder =
        ["id", "email", "displayName", "organizer", "self", "resource", "optional", "responseStatus", "comment", "additionalGuests"];

    /// <summary>
    /// Google fills in what attendees leave out: a response (kept from the previous version, else needsAction, accepted
    /// for the organizer), the read-only <c>organizer</c> mark and <c>self</c> for the calendar this copy is on.
    /// </summary>
    public static void NormalizeAttendees(JsonObject resource, StoredEvent? previous, string calendarId)
    {
        if (resource["attendees"] is not JsonArray attendees)
        {
            return;
        }

        var organizer = resource.StringAt("organizer", "email");
        var answers = AnswersOf(previous?.Resource);
        var normalized = new JsonArray();
        foreach (var attendee in attendees.OfType<JsonObject>())
        {
            var email = attendee.String("email")!;
            var fields = attendee.ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone(), StringComparer.Ordinal);
            fields.Remove("self");
            fields.Remove("organizer");
            if (Same(email, organizer))
            {
                fields["organizer"] = true;
            }

            if (Same(email, calendarId))
            {
                fields["self"] = true;
            }

            if (fields.GetValueOrDefault("responseStatus") is null)
            {
                fields["responseStatus"] = answers.GetValueOrDefault(email) ?? (Same(email, organizer) ? "accepted" : "needsAction");
            }

            normalized.Add(Ordered(fields));
        }

        resource["attendees"] = normalized;
    }

    /// <summary>A guest that removed the event and answers again (anything but declined) gets it back on its calendar.</summary>
    public static void RestoreOnAnswer(CalendarState calendar, StoredEvent previous, JsonObject next)
    {
        if (previous.IsCancelled && next.String("status") == "cancelled" && IsGuestCopy(calendar, previous)
            && AnswersOf(previous.Resource).GetValueOrDefault(calendar.Id) == "declined"
            && AnswersOf(next).GetValueOrDefault(calendar.Id) is { } answer && answer != "declined")
        {
            next["status"] = "confirmed";
        }
    }

    /// <summary>A copy on an attendee's calendar of an event someone else organizes.</summary>
    public static bool IsGuestCopy(CalendarState calendar, StoredEvent stored) =>
        !Same(stored.Resource.StringAt("organizer", "email"), calendar.Id)
        && stored.Resource["attendees"] is JsonArray attendees
        && attendees.OfType<JsonObject>().Any(a => Same(a.String("email"), calendar.Id));

    /// <summary>
    /// A guest without guestsCanModify may only answer (its own responseStatus, comment, additionalGuests), set its
    /// per-copy fields and, unless guestsCanInviteOthers is false, add attendees; anything else is 403
    /// forbiddenForNonOrganizer, as Google answers for "shared properties".
    /// </summary>
    public static ApiResponse? CheckGuestChange(CalendarState calendar, StoredEvent previous, JsonObject next)
    {
        if (!IsGuestCopy(calendar, previous) || previous.Resource.Bool("guestsCanModify") == true)
        {
            return null;
        }

        var before = Shared(previous.Resource, withStatus: false);
        var after = Shared(next, withStatus: false);
        foreach (var view in new[] { before, after })
        {
            foreach (var mine in (view["attendees"] as JsonArray)?.OfType<JsonObject>().Where(a => Same(a.String("email"), calendar.Id)) ?? [])
            {
                foreach (var key in OwnAnswer)
                {
                    mine.Remove(key);
                }
            }
        }

        if (previous.Resource.Bool("guestsCanInviteOthers") != false && after["attendees"] is JsonArray grown)
        {
            var known = EmailsOf(before).ToHashSet(StringComparer.OrdinalIgnoreCase);
            after["attendees"] = new JsonArray([.. grown.OfType<JsonObject>().Where(a => known.Contains(a.String("email") ?? "")).Select(a => (JsonNode)a.DeepClone())]);
        }

        return JsonNode.DeepEquals(before, after)
            ? null
            : GoogleError.ForbiddenForNonOrganizer();
    }

    /// <summary>
    /// After <paramref name="stored"/> was written to <paramref name="source"/>: every other participant's copy follows when
    /// shared content changed, and attendees who were removed get their copy cancelled.
    /// </summary>
    public static void Propagate(EmulatorState state, CalendarState source, StoredEvent stored, StoredEvent? previous)
    {
        var organizer = stored.Resource.StringAt("organizer", "email");
        var fromGuest = IsGuestCopy(source, stored);
        if ((stored.Resource["attendees"] is null && previous?.Resource["attendees"] is null && Same(organizer, source.Id))
            || (previous is not null && JsonNode.DeepEquals(Shared(previous.Resource, !fromGuest), Shared(stored.Resource, !fromGuest))))
        {
            return;
        }

        var attendees = EmailsOf(stored.Resource);
        var participants = new List<CalendarState>();
        if (organizer is not null && state.Calendars.TryGetValue(organizer, out var organizerCalendar))
        {
            participants.Add(organizerCalendar);
        }

        foreach (var email in attendees)
        {
            if (state.Accounts.ContainsKey(email) && state.Calendars.TryGetValue(email, out var primary) && !participants.Contains(primary))
            {
                participants.Add(primary);
            }
        }

        foreach (var calendar in participants.Where(c => c != source))
        {
            Follow(state, calendar, stored, fromGuest);
        }

        foreach (var removed in EmailsOf(previous?.Resource).Except(attendees, StringComparer.OrdinalIgnoreCase))
        {
            if (!Same(removed, organizer) && state.Calendars.TryGetValue(removed, out var calendar) && calendar != source
                && calendar.Events.TryGetValue(stored.Id, out var copy) && !copy.IsCancelled && copy.ICalUid == stored.ICalUid)
            {
                EventsApi.Cancel(state, calendar, copy);
                state.RaiseChanged(calendar);
            }
        }
    }

    /// <summary>
    /// A guest removed the event from its calendar: its answer becomes declined on the organizer's copy (and from there on
    /// every other copy); the guest's own cancelled copy stays cancelled.
    /// </summary>
    public static void Decline(EmulatorState state, CalendarState guestCalendar, StoredEvent removed)
    {
        if (removed.Resource.StringAt("organizer", "email") is not { } organizer
            || !state.Calendars.TryGetValue(organizer, out var organizerCalendar)
            || !organizerCalendar.Events.TryGetValue(removed.Id, out var current) || current.IsCancelled)
        {
            return;
        }

        var resource = (JsonObject)current.Resource.DeepClone();
        if (!SetAnswer(resource, guestCalendar.Id, "declined"))
        {
            return;
        }

        resource["etag"] = state.NextEtag();
        resource["updated"] = GoogleJson.Timestamp(state.Now);
        var declined = new StoredEvent(resource, state.NextChange(organizerCalendar), current.Ordinal, current.Start, current.End, state.Now);
        organizerCalendar.Events[declined.Id] = declined;
        state.RaiseChanged(organizerCalendar);
        Propagate(state, organizerCalendar, declined, current);
    }

    /// <summary>Sets the answer of <paramref name="email"/>'s attendee entry; false when there is none or it already is that.</summary>
    public static bool SetAnswer(JsonObject resource, string email, string answer)
    {
        var entry = (resource["attendees"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(a => Same(a.String("email"), email));
        if (entry is null || entry.String("responseStatus") == answer)
        {
            return false;
        }

        entry["responseStatus"] = answer;
        return true;
    }

    /// <summary>
    /// Writes the copy of <paramref name="stored"/> that <paramref name="calendar"/> sees. A guest's status is its own
    /// (it may have removed the event from its calendar), so a write from a guest copy leaves the other copies' status alone.
    /// </summary>
    private static void Follow(EmulatorState state, CalendarState calendar, StoredEvent stored, bool fromGuest)
    {
        calendar.Events.TryGetValue(stored.Id, out var existing);
        if (existing is not null && existing.ICalUid != stored.ICalUid)
        {
            // An unrelated event of that calendar already has the id: it is left alone.
            return;
        }

        if ((existing is null && stored.IsCancelled && stored.RecurringEventId is null) || (existing is { IsCancelled: true } && stored.IsCancelled))
        {
            return;
        }

        // A guest who removed the event keeps it removed until invited afresh.
        var answer = (stored.Resource["attendees"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(a => Same(a.String("email"), calendar.Id))?.String("responseStatus");
        if (existing is { IsCancelled: true } && !stored.IsCancelled && answer == "declined")
        {
            return;
        }

        var copy = (JsonObject)stored.Resource.DeepClone();
        if (fromGuest && existing is not null)
        {
            copy["status"] = existing.Status;
        }

        copy["etag"] = state.NextEtag();
        copy["htmlLink"] = EventComposer.HtmlLink(stored.Id, calendar.Id);
        foreach (var key in PerCopy)
        {
            var own = existing is null ? (key == "transparency" ? stored.Resource[key] : null) : existing.Resource[key];
            copy.Remove(key);
            if (own is not null)
            {
                copy[key] = own.DeepClone();
            }
        }

        copy["reminders"] ??= new JsonObject { ["useDefault"] = true };
        SetPrivateProperties(copy, existing?.Resource.At("extendedProperties").At("private"));
        SetSelf(copy["organizer"] as JsonObject, calendar.Id);
        SetSelf(copy["creator"] as JsonObject, calendar.OwnerEmail);
        NormalizeAttendees(copy, stored, calendar.Id);

        var start = EventTime.Parse(copy["start"], calendar.TimeZone, out _) ?? stored.Start;
        var end = EventTime.Parse(copy["end"], calendar.TimeZone, out _) ?? stored.End;
        var ordinal = existing?.Ordinal ?? calendar.NextOrdinal++;
        calendar.Events[stored.Id] = new StoredEvent(copy, state.NextChange(calendar), ordinal, start, end, stored.Updated);
        state.RaiseChanged(calendar);
    }

    /// <summary>The content all copies share: no etag, link, per-person fields, private properties or self flags (nor status, for guests).</summary>
    private static JsonObject Shared(JsonObject resource, bool withStatus = true)
    {
        var shared = (JsonObject)resource.DeepClone();
        if (!withStatus)
        {
            shared.Remove("status");
        }

        foreach (var key in PerCopy.Concat(["etag", "updated", "htmlLink"]))
        {
            shared.Remove(key);
        }

        if (shared["extendedProperties"] is JsonObject properties)
        {
            properties.Remove("private");
            if (properties.Count == 0)
            {
                shared.Remove("extendedProperties");
            }
        }

        (shared["organizer"] as JsonObject)?.Remove("self");
        (shared["creator"] as JsonObject)?.Remove("self");
        foreach (var attendee in (shared["attendees"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            attendee.Remove("self");
        }

        return shared;
    }

    private static void SetPrivateProperties(JsonObject copy, JsonNode? own)
    {
        var properties = copy["extendedProperties"] as JsonObject;
        properties?.Remove("private");
        if (own is not null)
        {
            properties ??= (JsonObject)(copy["extendedProperties"] = new JsonObject());
            properties["private"] = own.DeepClone();
        }

        if (properties is { Count: 0 })
        {
            copy.Remove("extendedProperties");
        }
    }

    private static void SetSelf(JsonObject? person, string calendarId)
    {
        if (person is null)
        {
            return;
        }

        person.Remove("self");
        if (Same(person.String("email"), calendarId))
        {
            person["self"] = true;
        }
    }

    private static Dictionary<string, string?> AnswersOf(JsonObject? resource) =>
        (resource?["attendees"] as JsonArray)?.OfType<JsonObject>()
            .Where(a => a.String("email") is not null)
            .GroupBy(a => a.String("email")!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().String("responseStatus"), StringComparer.OrdinalIgnoreCase)
        ?? new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    private static List<string> EmailsOf(JsonObject? resource) =>
        (resource?["attendees"] as JsonArray)?.OfType<JsonObject>().Select(a => a.String("email")).OfType<string>().ToList() ?? [];

    private static JsonObject Ordered(Dictionary<string, JsonNode?> fields)
    {
        var result = new JsonObject();
        foreach (var key in AttendeeOrder)
        {
            if (fields.Remove(key, out var value))
            {
                result[key] = value;
            }
        }

        foreach (var (key, value) in fields)
        {
            result[key] = value;
        }

        return result;
    }

    private static bool Same(string? a, string? b) => a is not null && b is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
