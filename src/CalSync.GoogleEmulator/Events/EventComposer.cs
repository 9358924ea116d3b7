using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Api;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Events;

/// <summary>Turns a validated request body into the next stored version of an event, with Google's server-set fields.</summary>
internal static class EventComposer
{
    /// <summary>Fields a client cannot set; Google ignores them in request bodies.</summary>
    private static readonly HashSet<string> ServerOwned =
    [
        "kind", "etag", "id", "htmlLink", "created", "updated", "creator", "organizer", "iCalUID",
        "recurringEventId", "originalStartTime", "hangoutLink", "locked",
    ];

    /// <summary>Google's field order, for responses that read like the real ones; unknown fields follow.</summary>
    private static readonly string[] Order =
    [
        "kind", "etag", "id", "status", "htmlLink", "created", "updated", "summary", "description", "location",
        "colorId", "creator", "organizer", "start", "end", "endTimeUnspecified", "recurrence", "recurringEventId",
        "originalStartTime", "transparency", "visibility", "iCalUID", "sequence", "attendees", "extendedProperties",
        "reminders", "eventType",
    ];

    /// <summary>Identity of the version being written: fixed on insert, carried over on update.</summary>
    internal sealed record Identity(string Id, string ICalUid, JsonNode Created, JsonNode Creator, JsonNode Organizer,
        string? RecurringEventId = null, JsonNode? OriginalStartTime = null);

    public static Identity NewIdentity(EmulatorState state, CalendarState calendar, Account actor, string id, string? iCalUid)
    {
        var organizer = new JsonObject { ["email"] = calendar.Id };
        if (!calendar.IsPrimary)
        {
            organizer["displayName"] = calendar.Summary;
        }

        organizer["self"] = true;
        var creator = new JsonObject { ["email"] = actor.Email };
        if (string.Equals(actor.Email, calendar.OwnerEmail, StringComparison.OrdinalIgnoreCase))
        {
            creator["self"] = true;
        }

        return new Identity(id, iCalUid ?? id + "@google.com", GoogleJson.Timestamp(state.Now), creator, organizer);
    }

    public static Identity IdentityOf(StoredEvent previous) => new(previous.Id, previous.ICalUid ?? previous.Id + "@google.com",
        previous.Resource["created"]!.DeepClone(), previous.Resource["creator"]!.DeepClone(),
        previous.Resource["organizer"]!.DeepClone(), previous.RecurringEventId, previous.Resource["originalStartTime"]?.DeepClone());

    /// <summary>Validates <paramref name="body"/> and builds the version; returns an error response instead when Google would.</summary>
    public static ApiResponse? Compose(EmulatorState state, CalendarState calendar, JsonObject body, Identity identity,
        StoredEvent? previous, WriteOptions options, out StoredEvent? result)
    {
        result = null;
        var isInstance = identity.RecurringEventId is not null;
        var recurring = !isInstance && body["recurrence"] is JsonArray { Count: > 0 };
        if (EventRules.ValidateMisc(body) is { } invalid)
        {
            return invalid;
        }

        if (EventRules.ValidateType(body, calendar, previous?.EventType, options.ByGoogle, out var eventType) is { } badType)
        {
            return badType;
        }

        if ((EventRules.ValidateTimes(body, calendar, recurring, out var start, out var end) ?? EventRules.ValidateStatusTimes(eventType, start)) is { } badTimes)
        {
            return badTimes;
        }

        var fields = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in body)
        {
            if (!ServerOwned.Contains(key) && value is not null && !(isInstance && key == "recurrence"))
            {
                fields[key] = value.DeepClone();
            }
        }

        options.Apply(fields, previous);
        fields["start"] = Normalize(fields["start"]!, start, calendar);
        fields["end"] = Normalize(fields["end"]!, end, calendar);
        var now = GoogleJson.Timestamp(state.Now);
        fields["kind"] = "calendar#event";
        fields["etag"] = state.NextEtag();
        fields["id"] = identity.Id;
        fields["status"] = body.String("status") ?? previous?.Status ?? "confirmed";
        fields["htmlLink"] = HtmlLink(identity.Id, calendar.Id);
        fields["created"] = identity.Created.DeepClone();
        fields["updated"] = now;
        fields["creator"] = identity.Creator.DeepClone();
        fields["organizer"] = identity.Organizer.DeepClone();
        fields["iCalUID"] = identity.ICalUid;
        // A patch carries the stored sequence along; only a sequence the client changed overrides the bump rule.
        var givenSequence = body["sequence"] is JsonValue seq && seq.TryGetValue(out int given)
                            && given != (previous?.Resource["sequence"]?.GetValue<int>() ?? -1) ? given : (int?)null;
        fields["sequence"] = givenSequence ?? NextSequence(previous, start, end, body);
        fields.TryAdd("reminders", new JsonObject { ["useDefault"] = true });
        fields["eventType"] = eventType;
        if (identity.RecurringEventId is not null)
        {
            fields["recurringEventId"] = identity.RecurringEventId;
            fields["originalStartTime"] = identity.OriginalStartTime!.DeepClone();
        }

        var resource = new JsonObject();
        foreach (var key in Order)
        {
            if (fields.Remove(key, out var value))
            {
                resource[key] = value;
            }
        }

        foreach (var (key, value) in fields)
        {
            resource[key] = value;
        }

        Invitations.NormalizeAttendees(resource, previous, calendar.Id);
        if (previous is not null)
        {
            Invitations.RestoreOnAnswer(calendar, previous, resource);
        }

        if (previous is not null
            && (Invitations.CheckGuestChange(calendar, previous, resource) ?? EventRules.CheckGmailChange(previous, resource)) is { } refused)
        {
            return refused;
        }

        var updated = state.Now;
        if (previous is not null && WriteOptions.OnlyRemindersChanged(resource, previous))
        {
            resource["updated"] = previous.Resource["updated"]!.DeepClone();
            updated = previous.Updated;
        }

        var ordinal = previous?.Ordinal ?? calendar.NextOrdinal++;
        result = new StoredEvent(resource, state.NextChange(calendar), ordinal, start, end, updated);
        return null;
    }

    /// <summary>RFC 7386 merge patch: objects merge, arrays and scalars replace, null deletes (extendedProperties keys too).</summary>
    public static JsonObject Merge(JsonObject target, JsonObject patch)
    {
        var merged = (JsonObject)target.DeepClone();
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                merged.Remove(key);
            }
            else if (value is JsonObject child && merged[key] is JsonObject existing)
            {
                merged[key] = Merge(existing, child);
            }
            else
            {
                merged[key] = value.DeepClone();
            }
        }

        return merged;
    }

    /// <summary>Google answers dateTime with a numeric offset in the event's zone, or the calendar's when none was given.</summary>
    private static JsonNode Normalize(JsonNode given, EventTime time, CalendarState calendar)
    {
        if (time.IsAllDay)
        {
            return given;
        }

        var zone = Zones.Find(time.TimeZone ?? calendar.TimeZone) ?? TimeZoneInfo.Utc;
        var result = new JsonObject { ["dateTime"] = Zones.Format(time.Instant, zone) };
        if (time.TimeZone is not null)
        {
            result["timeZone"] = time.TimeZone;
        }

        return result;
    }

    public static string HtmlLink(string eventId, string calendarId) =>
        "https://www.google.com/calendar/event?eid=" +
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(eventId + " " + calendarId));

    private static int NextSequence(StoredEvent? previous, EventTime start, EventTime end, JsonObject body)
    {
        if (previous is null)
        {
            return 0;
        }

        var current = previous.Resource["sequence"]?.GetValue<int>() ?? 0;
        var rescheduled = previous.Start != start || previous.End != end
            || !JsonNode.DeepEquals(previous.Resource["recurrence"], body["recurrence"]);

        // ❓ Google's increment rules are unpublished; bump when the time or recurrence changes, like iCalendar SEQUENCE.
        return rescheduled ? current + 1 : current;
    }
}
