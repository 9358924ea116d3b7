using System.Globalization;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Api;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Events;

/// <summary>
/// Per-request presentation of an event: <c>timeZone</c> (answer date-times in that zone) and
/// <c>maxAttendees</c> (trim the list, only the participant stays, <c>attendeesOmitted</c>).
/// </summary>
internal sealed record EventView(TimeZoneInfo? Zone, int? MaxAttendees)
{
    public static readonly EventView Stored = new(null, null);

    public bool IsStored => Zone is null && MaxAttendees is null;

    public static ApiResponse? Parse(QueryParams query, out EventView view)
    {
        view = Stored;
        TimeZoneInfo? zone = null;
        if (query["timeZone"] is { } id && (zone = Zones.Find(id)) is null)
        {
            return GoogleError.Invalid($"Invalid time zone: {id}", "timeZone"); // ❓ message
        }

        int? max = null;
        if (query["maxAttendees"] is { } text)
        {
            if (!int.TryParse(text, CultureInfo.InvariantCulture, out var m) || m < 1)
            {
                return GoogleError.Invalid($"Invalid value '{text}'. Values must be within the range: [1, ]", "maxAttendees");
            }

            max = m;
        }

        view = new EventView(zone, max);
        return null;
    }

    public byte[] Render(StoredEvent stored) => IsStored ? stored.Json : GoogleJson.ToUtf8(Apply(stored.Resource));

    public JsonObject Apply(JsonObject resource)
    {
        var result = (JsonObject)resource.DeepClone();
        if (Zone is not null)
        {
            foreach (var key in new[] { "start", "end", "originalStartTime" })
            {
                if (result[key] is JsonObject time && time.String("dateTime") is { } text
                    && Rfc3339.TryParse(text, out var instant, out var hasOffset) && hasOffset)
                {
                    time["dateTime"] = Zones.Format(instant, Zone);
                }
            }
        }

        if (MaxAttendees is { } max && result["attendees"] is JsonArray attendees && attendees.Count > max)
        {
            // "Only the participant is returned" when the list is trimmed.
            var kept = attendees.OfType<JsonObject>().Where(a => a.Bool("self") == true).Take(max).Select(a => (JsonNode)a.DeepClone());
            result["attendees"] = new JsonArray([.. kept]);
            result["attendeesOmitted"] = true;
        }

        return result;
    }
}
