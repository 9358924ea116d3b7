using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Events;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Api;

/// <summary>freeBusy.query: busy periods of opaque, non-cancelled events, merged, per requested calendar.</summary>
internal static class FreeBusyApi
{
    private const int MaxCalendars = 50;

    public static ApiResponse Query(CallContext ctx)
    {
        if (GoogleJson.ParseObject(ctx.Request.Body) is not { } body)
        {
            return GoogleError.ParseError();
        }

        var min = Rfc3339.ParseWithOffset(body.String("timeMin"));
        var max = Rfc3339.ParseWithOffset(body.String("timeMax"));
        if (min is null || max is null)
        {
            return GoogleError.Required("Missing timeMin or timeMax.", min is null ? "timeMin" : "timeMax"); // ❓ message
        }

        if (max <= min)
        {
            return GoogleError.TimeRangeEmpty();
        }

        var zone = body.String("timeZone") is { } tz ? Zones.Find(tz) ?? TimeZoneInfo.Utc : TimeZoneInfo.Utc;
        var ids = (body["items"] as JsonArray ?? []).OfType<JsonObject>().Select(i => i.String("id")).OfType<string>().ToList();
        var calendars = new JsonObject();
        foreach (var id in ids)
        {
            calendars[id] = ids.Count > MaxCalendars ? Errors("tooManyCalendarsRequested") : Busy(ctx, id, min.Value, max.Value, zone);
        }

        return ApiResponse.Json(200, new JsonObject
        {
            ["kind"] = "calendar#freeBusy",
            ["timeMin"] = Rfc3339.Format(min.Value.ToUniversalTime()),
            ["timeMax"] = Rfc3339.Format(max.Value.ToUniversalTime()),
            ["calendars"] = calendars,
        });
    }

    private static JsonObject Busy(CallContext ctx, string id, DateTimeOffset min, DateTimeOffset max, TimeZoneInfo zone)
    {
        var resolved = id == "primary" ? ctx.Account.Email : id;
        if (!ctx.State.Calendars.TryGetValue(resolved, out var calendar) || calendar.AccessRole(ctx.Account.Email) is null)
        {
            return Errors("notFound");
        }

        // Start inclusive, end exclusive; overlapping and touching periods merge into one.
        var periods = EventQuery.Occurrences(ctx.State, calendar, min, max)
            .Where(e => e.Resource.String("transparency") != "transparent")
            .Select(e => (Start: e.Start.Instant < min ? min : e.Start.Instant, End: e.End.Instant > max ? max : e.End.Instant))
            .Where(p => p.End > p.Start)
            .OrderBy(p => p.Start);
        var merged = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        foreach (var period in periods)
        {
            if (merged.Count > 0 && period.Start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, period.End > merged[^1].End ? period.End : merged[^1].End);
            }
            else
            {
                merged.Add(period);
            }
        }

        return new JsonObject
        {
            ["busy"] = new JsonArray([.. merged.Select(p => (JsonNode)new JsonObject
            {
                ["start"] = Zones.Format(p.Start, zone),
                ["end"] = Zones.Format(p.End, zone),
            })]),
        };
    }

    private static JsonObject Errors(string reason) => new()
    {
        ["errors"] = new JsonArray(new JsonObject { ["domain"] = "global", ["reason"] = reason }),
        ["busy"] = new JsonArray(),
    };
}
