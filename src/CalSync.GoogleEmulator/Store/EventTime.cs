using System.Globalization;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Api;

namespace CalSync.GoogleEmulator.Store;

/// <summary>A parsed EventDateTime: either an all-day date or an instant, plus the IANA zone it was given in.</summary>
internal readonly record struct EventTime(DateTimeOffset Instant, DateOnly? Date, string? TimeZone)
{
    public bool IsAllDay => Date is not null;

    /// <summary>Parses start/end; all-day dates are compared as midnight in the calendar's zone.</summary>
    public static EventTime? Parse(JsonNode? node, string calendarTimeZone, out string? error)
    {
        error = null;
        if (node is not JsonObject obj)
        {
            return null;
        }

        if ((obj["timeZone"] is not null && obj.String("timeZone") is null)
            || (obj["date"] is not null && obj.String("date") is null)
            || (obj["dateTime"] is not null && obj.String("dateTime") is null))
        {
            // Wrongly typed members (a number where Google expects a string) are a bad request.
            error = "invalid";
            return null;
        }

        var tz = obj.String("timeZone");
        if (tz is not null && Zones.Find(tz) is null)
        {
            error = "invalidTimeZone";
            return null;
        }

        if (obj.String("date") is { } dateText)
        {
            if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                error = "invalid";
                return null;
            }

            var zone = Zones.Find(calendarTimeZone) ?? TimeZoneInfo.Utc;
            return new EventTime(Zones.AtMidnight(date, zone), date, tz);
        }

        if (obj.String("dateTime") is not { } text)
        {
            return null;
        }

        if (Rfc3339.TryParse(text, out var instant, out var hasOffset))
        {
            instant = Rfc3339.ToSecond(instant);
            if (!hasOffset)
            {
                if (tz is null)
                {
                    error = "missingTimeZone";
                    return null;
                }

                // A local time in the given zone.
                instant = Zones.FromLocal(instant.DateTime, Zones.Find(tz)!);
            }

            return new EventTime(instant, null, tz);
        }

        error = "invalid";
        return null;
    }
}
