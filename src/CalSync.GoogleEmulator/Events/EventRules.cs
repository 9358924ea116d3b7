using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CalSync.GoogleEmulator.Api;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Events;

/// <summary>Google's validation of an event body. Messages marked ❓ are the emulator's choice where Google documents none.</summary>
internal static partial class EventRules
{
    private static readonly Dictionary<string, string> TypeProperties = new(StringComparer.Ordinal)
    {
        ["outOfOfficeProperties"] = "outOfOffice",
        ["focusTimeProperties"] = "focusTime",
        ["workingLocationProperties"] = "workingLocation",
        ["birthdayProperties"] = "birthday",
    };

    private static readonly HashSet<string> KnownTypes =
        ["default", "birthday", "focusTime", "fromGmail", "outOfOffice", "workingLocation"];

    /// <summary>RFC 2938 base32hex, 5–1024 characters.</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    public static ApiResponse? ValidateType(JsonObject body, CalendarState calendar, string? previousType, bool byGoogle, out string eventType)
    {
        var requested = body.String("eventType");
        eventType = requested ?? previousType ?? "default";
        if (requested is not null && !KnownTypes.Contains(requested))
        {
            return GoogleError.Invalid($"Invalid value for: {requested} is not a valid value");
        }

        if (previousType is not null && requested is not null && requested != previousType)
        {
            return GoogleError.Invalid("The event type cannot be changed."); // ❓ message
        }

        if (previousType is null && eventType == "fromGmail" && !byGoogle)
        {
            return GoogleError.Invalid("Events from Gmail cannot be created."); // ❓ message
        }

        if (eventType is "outOfOffice" or "focusTime" or "workingLocation" && !calendar.IsPrimary)
        {
            // ✅ [DOC-TYPES]: status events exist only on primary calendars; ❓ exact message.
            return GoogleError.Invalid($"Event type '{eventType}' is only supported on primary calendars.");
        }

        foreach (var (property, type) in TypeProperties)
        {
            if (body[property] is not null && type != eventType)
            {
                // Google answers 400 for type-specific properties on another type (design.md, edge case 6); ❓ message.
                return GoogleError.Invalid($"The property '{property}' can only be set on events of type '{type}'.");
            }
        }

        if (eventType == "workingLocation" && body["workingLocationProperties"] is null)
        {
            return GoogleError.Required("Working location properties must be set for working location events."); // ❓
        }

        if (eventType is "outOfOffice" or "focusTime" && body[eventType + "Properties"] is null)
        {
            // ✅ [DISC] eventType: "An outOfOfficeProperties (focusTimeProperties) parameter must be supplied to make a
            // valid event (even if empty)"; an update must keep them ([DOC-TYPES]); ❓ message.
            return GoogleError.Required($"The property '{eventType}Properties' must be set for events of type '{eventType}'.");
        }

        return null;
    }

    /// <summary>✅ [DOC-TYPES]: out-of-office and focus-time events are timed, never all-day; ❓ message.</summary>
    public static ApiResponse? ValidateStatusTimes(string eventType, EventTime start) =>
        eventType is "outOfOffice" or "focusTime" && start.IsAllDay
            ? GoogleError.Invalid($"Events of type '{eventType}' cannot be all-day events.")
            : null;

    public static ApiResponse? ValidateTimes(JsonObject body, CalendarState calendar, bool recurring, out EventTime start, out EventTime end)
    {
        start = end = default;
        if (body["start"] is null)
        {
            return GoogleError.Required("Missing start time."); // ❓ by analogy with "Missing end time."
        }

        if (body["end"] is null)
        {
            return GoogleError.Required("Missing end time.");
        }

        var s = EventTime.Parse(body["start"], calendar.TimeZone, out var startError);
        var e = EventTime.Parse(body["end"], calendar.TimeZone, out var endError);
        if (TimeError(startError ?? (s is null ? "invalid" : null), "start") is { } se)
        {
            return se;
        }

        if (TimeError(endError ?? (e is null ? "invalid" : null), "end") is { } ee)
        {
            return ee;
        }

        start = s!.Value;
        end = e!.Value;
        if (start.IsAllDay != end.IsAllDay)
        {
            return GoogleError.BadRequest("Start and end times must either both be date or both be dateTime.");
        }

        if (recurring && !start.IsAllDay && start.TimeZone is null)
        {
            // The timeZone of a recurring event is the zone its recurrence expands in.
            return GoogleError.Required("Missing time zone definition for start time.");
        }

        if (end.Instant < start.Instant || (start.IsAllDay && end.Instant == start.Instant))
        {
            return GoogleError.TimeRangeEmpty(location: null);
        }

        return null;
    }

    public static ApiResponse? ValidateMisc(JsonObject body)
    {
        if (body.String("status") is { } status && status is not ("confirmed" or "tentative" or "cancelled"))
        {
            return GoogleError.Invalid($"Invalid value for: {status} is not a valid value");
        }

        if (body.String("transparency") is { } transparency && transparency is not ("opaque" or "transparent"))
        {
            return GoogleError.Invalid($"Invalid value for: {transparency} is not a valid value");
        }

        if (body.String("visibility") is { } visibility && visibility is not ("default" or "public" or "private" or "confidential"))
        {
            return GoogleError.Invalid($"Invalid value for: {visibility} is not a valid value");
        }

        if (body.String("colorId") is { } colorId && !(int.TryParse(colorId, System.Globalization.CultureInfo.InvariantCulture, out var color) && color is >= 1 and <= 11))
        {
            return GoogleError.Invalid("Invalid color ID."); // ❓ message; event colours are "1"–"11"
        }

        if (body["reminders"] is JsonObject reminders && reminders.Bool("useDefault") == true && reminders.At("overrides") is JsonArray { Count: > 0 })
        {
            return GoogleError.Invalid("Cannot specify both default reminders and overrides at the same time.");
        }

        if (body.At("reminders") is { } r && r is not JsonObject)
        {
            return GoogleError.BadRequest();
        }

        if (body.At("reminders").At("overrides") is JsonArray overrides
            && overrides.OfType<JsonObject>().Any(o => o["minutes"] is not JsonValue v || !v.TryGetValue(out int minutes) || minutes is < 0 or > 40320
                                                    || o.String("method") is not ("email" or "popup")))
        {
            // ✅ [DISC]: minutes 0..40320 (four weeks), method email | popup; ❓ message.
            return GoogleError.Invalid("Invalid reminder override.");
        }

        if (body.At("extendedProperties") is { } ext
            && (ext is not JsonObject extObj || extObj.Any(kv => kv.Key is not ("private" or "shared") || kv.Value is not (null or JsonObject)
                || ((JsonObject?)kv.Value)?.Any(p => p.Value is not null && (p.Value is not JsonValue pv || !pv.TryGetValue(out string? _))) == true)))
        {
            return GoogleError.BadRequest(); // extendedProperties is {private, shared} of string → string
        }

        if (body["attendees"] is JsonArray attendees && attendees.Any(a => a is not JsonObject o || string.IsNullOrWhiteSpace(o.String("email"))))
        {
            return GoogleError.Required("Missing attendee email."); // ✅ [DISC]: email is required when adding an attendee; ❓ message
        }

        if (body["attendees"] is JsonArray guests && guests.OfType<JsonObject>().Any(a => !IsEmailAddress(a.String("email")!)))
        {
            return GoogleError.Invalid("Invalid attendee email."); // ✅ [DISC]: an RFC 5322 address; ❓ message
        }

        foreach (var flag in new[] { "guestsCanModify", "guestsCanInviteOthers", "guestsCanSeeOtherGuests", "anyoneCanAddSelf" })
        {
            if (body[flag] is { } given && (given is not JsonValue value || !value.TryGetValue(out bool _)))
            {
                return GoogleError.Invalid($"Invalid value for: {flag} must be a boolean"); // ✅ [DISC] booleans; ❓ message
            }
        }

        if (body["attendees"] is JsonArray answered
            && answered.OfType<JsonObject>().Any(a => a["responseStatus"] is { } r && (r is not JsonValue v || !v.TryGetValue(out string? status) || !Invitations.ResponseStatuses.Contains(status))))
        {
            return GoogleError.Invalid("Invalid attendee response status."); // ✅ [DISC] needsAction | declined | tentative | accepted; ❓ message
        }

        if (body.At("reminders").At("overrides") is JsonArray { Count: > 5 })
        {
            return GoogleError.Invalid("Cannot specify more than 5 override reminders."); // ❓ message; the limit is ✅ [DISC]
        }

        if (body.At("recurrence") is { } recurrence && (recurrence is not JsonArray lines || !Recurrence.IsValid(lines)))
        {
            return GoogleError.Invalid("Invalid recurrence rule."); // ❓ message
        }

        return null;
    }

    /// <summary>
    /// Updates of fromGmail events are "restricted to the properties reminders, colorId, visibility, status, and
    /// extendedProperties" (Workspace updates, 2024-05-30); clients report 400 Bad Request for anything else.
    /// </summary>
    public static ApiResponse? CheckGmailChange(StoredEvent previous, JsonObject next)
    {
        if (previous.EventType != "fromGmail")
        {
            return null;
        }

        string[] changeable = ["reminders", "colorId", "visibility", "status", "extendedProperties", "etag", "updated"];
        var before = (JsonObject)previous.Resource.DeepClone();
        var after = (JsonObject)next.DeepClone();
        foreach (var key in changeable)
        {
            before.Remove(key);
            after.Remove(key);
        }

        return JsonNode.DeepEquals(before, after) ? null : GoogleError.BadRequest();
    }

    /// <summary>Query parameters of insert/update/patch/delete with enumerated values.</summary>
    public static ApiResponse? ValidateWriteParameters(QueryParams query)
    {
        if (query["sendUpdates"] is { } send && send is not ("all" or "externalOnly" or "none"))
        {
            return GoogleError.Invalid($"Invalid value for: {send} is not a valid value", "sendUpdates");
        }

        if (query["conferenceDataVersion"] is { } version && version is not ("0" or "1"))
        {
            return GoogleError.Invalid($"Invalid value '{version}'. Values must be within the range: [0, 1]", "conferenceDataVersion");
        }

        foreach (var flag in new[] { "supportsAttachments", "sendNotifications" })
        {
            if (query.Bool(flag, out var invalid) is null && invalid)
            {
                return GoogleError.BadRequest();
            }
        }

        return null;
    }

    /// <summary>A bare addr-spec with a dotted domain, which is what Google accepts for attendees.</summary>
    private static bool IsEmailAddress(string text) =>
        System.Net.Mail.MailAddress.TryCreate(text, out var address) && address.Address == text.Trim()
        && address.Host.Contains('.', StringComparison.Ordinal);

    private static ApiResponse? TimeError(string? error, string which) => error switch
    {
        null => null,
        "missingTimeZone" => GoogleError.Required($"Missing time zone definition for {which} time."),
        "invalidTimeZone" => GoogleError.Invalid($"Invalid time zone definition for {which} time."),
        _ => GoogleError.BadRequest(),
    };

    [GeneratedRegex("^[a-v0-9]{5,1024}$")]
    private static partial Regex IdPattern();
}
