using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Api;

namespace CalSync.GoogleEmulator.Store;

/// <summary>
/// One version of an event. Immutable once stored: a change stores a new instance, so readers can
/// keep a reference and serialise it outside the state lock.
/// </summary>
internal sealed class StoredEvent
{
    private byte[]? _json;

    public StoredEvent(JsonObject resource, long changeSeq, long ordinal, EventTime start, EventTime end, DateTimeOffset updated)
    {
        Resource = resource;
        ChangeSeq = changeSeq;
        Ordinal = ordinal;
        Start = start;
        End = end;
        Updated = updated;
        Id = resource.String("id")!;
        Etag = resource.String("etag")!;
        Status = resource.String("status") ?? "confirmed";
        EventType = resource.String("eventType") ?? "default";
        ICalUid = resource.String("iCalUID");
        RecurringEventId = resource.String("recurringEventId");
        Recurrence = resource["recurrence"] is JsonArray rec ? [.. rec.Select(r => r!.GetValue<string>())] : null;
        PrivateProperties = ReadProperties(resource, "private");
        SharedProperties = ReadProperties(resource, "shared");
        SearchText = BuildSearchText(resource);
    }

    public JsonObject Resource { get; }

    public long ChangeSeq { get; }

    /// <summary>Creation order, the stable default listing order.</summary>
    public long Ordinal { get; }

    public EventTime Start { get; }

    public EventTime End { get; }

    public DateTimeOffset Updated { get; }

    public string Id { get; }

    public string Etag { get; }

    public string Status { get; }

    public bool IsCancelled => Status == "cancelled";

    public string EventType { get; }

    public string? ICalUid { get; }

    public string? RecurringEventId { get; }

    public IReadOnlyList<string>? Recurrence { get; }

    public bool IsRecurringMaster => Recurrence is { Count: > 0 } && RecurringEventId is null;

    public IReadOnlyDictionary<string, string> PrivateProperties { get; }

    public IReadOnlyDictionary<string, string> SharedProperties { get; }

    public string SearchText { get; }

    /// <summary>Cache of recurrence expansion state (see <see cref="Events.Recurrence"/>).</summary>
    public object? RecurrenceCache { get; set; }

    public byte[] Json => _json ??= GoogleJson.ToUtf8(Resource);

    /// <summary>What a deleted event shows when details are not asked for: only id and status are guaranteed
    /// (https://developers.google.com/workspace/calendar/api/v3/reference/events).</summary>
    public JsonObject Tombstone()
    {
        var o = new JsonObject { ["kind"] = "calendar#event", ["etag"] = Etag, ["id"] = Id, ["status"] = "cancelled" };
        if (RecurringEventId is not null)
        {
            o["recurringEventId"] = RecurringEventId;
            o["originalStartTime"] = Resource["originalStartTime"]?.DeepClone();
        }

        return o;
    }

    private static Dictionary<string, string> ReadProperties(JsonObject resource, string kind)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (resource.At("extendedProperties").At(kind) is JsonObject props)
        {
            foreach (var (key, value) in props)
            {
                if (value is JsonValue v && v.TryGetValue(out string? s))
                {
                    result[key] = s;
                }
            }
        }

        return result;
    }

    private static string BuildSearchText(JsonObject r)
    {
        var parts = new List<string?> { r.String("summary"), r.String("description"), r.String("location") };
        foreach (var who in new[] { r["organizer"], r["creator"] })
        {
            parts.Add(who.StringAt("email"));
            parts.Add(who.StringAt("displayName"));
        }

        if (r["attendees"] is JsonArray attendees)
        {
            foreach (var a in attendees.OfType<JsonObject>())
            {
                parts.Add(a.String("email"));
                parts.Add(a.String("displayName"));
            }
        }

        var wl = r["workingLocationProperties"];
        parts.Add(wl.StringAt("officeLocation", "buildingId"));
        parts.Add(wl.StringAt("officeLocation", "deskId"));
        parts.Add(wl.StringAt("officeLocation", "label"));
        parts.Add(wl.StringAt("customLocation", "label"));

        return string.Join('\n', parts.Where(p => p is not null)).ToUpperInvariant();
    }
}
