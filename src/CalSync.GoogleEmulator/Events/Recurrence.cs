using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Store;
using Ical.Net.DataTypes;

namespace CalSync.GoogleEmulator.Events;

/// <summary>One occurrence of a series, with the Google instance id suffix and its EventDateTime values.</summary>
internal sealed record Occurrence(DateTimeOffset Start, DateTimeOffset End, string Suffix, JsonObject StartJson, JsonObject EndJson);

/// <summary>
/// RRULE/EXRULE/RDATE/EXDATE expansion with Ical.Net. The series is rendered as an iCalendar VEVENT (the
/// recurrence lines are RFC 5545 already), parsed once per stored version and cached on it.
/// </summary>
internal static class Recurrence
{
    /// <summary>Expansion stops here when the caller gives no upper bound: Google pages through endless series; an emulator needs a limit.</summary>
    public static readonly TimeSpan OpenEndedHorizon = TimeSpan.FromDays(730);

    public const int MaxOccurrences = 2500;

    public static bool IsValid(JsonArray lines)
    {
        foreach (var node in lines)
        {
            if (node is not JsonValue v || !v.TryGetValue(out string? line)
                || !(line.StartsWith("RRULE:", StringComparison.Ordinal) || line.StartsWith("EXRULE:", StringComparison.Ordinal)
                     || line.StartsWith("RDATE", StringComparison.Ordinal) || line.StartsWith("EXDATE", StringComparison.Ordinal)))
            {
                return false;
            }
        }

        try
        {
            var probe = Ical.Net.Calendar.Load(Render("20240101T000000Z", "P1D", lines.Select(l => l!.GetValue<string>())));
            return probe?.Events.Count == 1;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or NullReferenceException)
        {
            return false;
        }
    }

    /// <summary>Occurrences whose start lies in [from, until), in order, at most <paramref name="max"/>.</summary>
    public static IEnumerable<Occurrence> Expand(StoredEvent master, DateTimeOffset from, DateTimeOffset until, int max = MaxOccurrences)
    {
        var calendarEvent = Load(master);
        if (calendarEvent is null)
        {
            yield break;
        }

        var duration = master.End.Instant - master.Start.Instant;
        var days = master.Start.IsAllDay ? master.End.Date!.Value.DayNumber - master.Start.Date!.Value.DayNumber : 0;
        var zone = master.Start.TimeZone is { } tz ? Zones.Find(tz) ?? TimeZoneInfo.Utc : TimeZoneInfo.Utc;
        var endZone = master.End.TimeZone is { } etz ? Zones.Find(etz) ?? zone : zone;

        // Ical.Net starts at occurrences beginning at or after the bound; go back a day for zone offsets.
        var seek = from - TimeSpan.FromDays(1) < master.Start.Instant ? master.Start.Instant : from - TimeSpan.FromDays(1);
        var count = 0;
        foreach (var occurrence in calendarEvent.GetOccurrences(new CalDateTime(seek.UtcDateTime, "UTC")))
        {
            var start = occurrence.Period.StartTime;
            Occurrence item;
            if (start.HasTime)
            {
                var instant = new DateTimeOffset(start.AsUtc, TimeSpan.Zero);
                item = new Occurrence(instant, instant + duration,
                    instant.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture),
                    TimedJson(instant, zone, master.Start.TimeZone), TimedJson(instant + duration, endZone, master.End.TimeZone));
            }
            else
            {
                // All-day dates sit at midnight of the zone the series' first date was placed in.
                var date = start.Date;
                var instant = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), master.Start.Instant.Offset);
                item = new Occurrence(instant, instant.AddDays(days),
                    date.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
                    DateJson(date), DateJson(date.AddDays(days)));
            }

            if (item.Start >= until || count >= max)
            {
                yield break;
            }

            if (item.Start >= from)
            {
                count++;
                yield return item;
            }
        }
    }

    /// <summary>The occurrence an instance id suffix names, if the series has one there.</summary>
    public static Occurrence? Find(StoredEvent master, string suffix)
    {
        DateTimeOffset at;
        if (suffix.Length == 8 && DateOnly.TryParseExact(suffix, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            at = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), master.Start.Instant.Offset);
        }
        else if (DateTime.TryParseExact(suffix, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                     DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
        {
            at = new DateTimeOffset(utc, TimeSpan.Zero);
        }
        else
        {
            return null;
        }

        return Expand(master, at - TimeSpan.FromDays(2), at + TimeSpan.FromDays(2), 16).FirstOrDefault(o => o.Suffix == suffix);
    }

    /// <summary>An unmodified instance: the master's fields with the instance's id, times and series link.</summary>
    public static JsonObject Instance(StoredEvent master, Occurrence occurrence)
    {
        var result = new JsonObject();
        foreach (var (key, value) in master.Resource)
        {
            switch (key)
            {
                case "recurrence":
                    continue;
                case "id":
                    result[key] = master.Id + "_" + occurrence.Suffix;
                    break;
                case "start":
                    result[key] = occurrence.StartJson.DeepClone();
                    break;
                case "end":
                    result[key] = occurrence.EndJson.DeepClone();
                    result["recurringEventId"] = master.Id;
                    result["originalStartTime"] = occurrence.StartJson.DeepClone();
                    break;
                default:
                    result[key] = value?.DeepClone();
                    break;
            }
        }

        return result;
    }

    public static StoredEvent AsStored(StoredEvent master, Occurrence occurrence) =>
        new(Instance(master, occurrence), master.ChangeSeq, master.Ordinal,
            new EventTime(occurrence.Start, master.Start.IsAllDay ? DateOnly.FromDateTime(occurrence.Start.DateTime) : null, master.Start.TimeZone),
            new EventTime(occurrence.End, master.Start.IsAllDay ? DateOnly.FromDateTime(occurrence.End.DateTime) : null, master.End.TimeZone),
            master.Updated);

    private static JsonObject TimedJson(DateTimeOffset instant, TimeZoneInfo zone, string? timeZone)
    {
        var o = new JsonObject { ["dateTime"] = Zones.Format(instant, zone) };
        if (timeZone is not null)
        {
            o["timeZone"] = timeZone;
        }

        return o;
    }

    private static JsonObject DateJson(DateOnly date) =>
        new() { ["date"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };

    private static Ical.Net.CalendarComponents.CalendarEvent? Load(StoredEvent master)
    {
        if (master.RecurrenceCache is Ical.Net.CalendarComponents.CalendarEvent cached)
        {
            return cached;
        }

        string dtStart, duration;
        if (master.Start.IsAllDay)
        {
            dtStart = ";VALUE=DATE:" + master.Start.Date!.Value.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            duration = "P" + (master.End.Date!.Value.DayNumber - master.Start.Date.Value.DayNumber) + "D";
        }
        else
        {
            var zone = master.Start.TimeZone is { } tz && Zones.Find(tz) is { } z && z != TimeZoneInfo.Utc ? tz : null;
            dtStart = zone is null
                ? ":" + master.Start.Instant.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)
                : ";TZID=" + zone + ":" + TimeZoneInfo.ConvertTime(master.Start.Instant, Zones.Find(zone)!)
                    .ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
            duration = "PT" + (long)(master.End.Instant - master.Start.Instant).TotalSeconds + "S";
        }

        try
        {
            var calendar = Ical.Net.Calendar.Load(Render(dtStart, duration, master.Recurrence ?? []));
            var loaded = calendar?.Events.FirstOrDefault();
            master.RecurrenceCache = loaded;
            return loaded;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string Render(string dtStart, string duration, IEnumerable<string> lines)
    {
        var ics = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//CalSync//Emulator//EN\r\nBEGIN:VEVENT\r\nUID:series\r\n");
        ics.Append("DTSTART").Append(dtStart.StartsWith(':') || dtStart.StartsWith(';') ? dtStart : ":" + dtStart).Append("\r\n");
        ics.Append("DURATION:").Append(duration).Append("\r\n");
        foreach (var line in lines)
        {
            ics.Append(line).Append("\r\n");
        }

        return ics.Append("END:VEVENT\r\nEND:VCALENDAR\r\n").ToString();
    }
}
