using System.Globalization;
using System.Text.Json.Nodes;

namespace CalSync.GoogleEmulator.Seed;

/// <summary>
/// The built-in demo: two people with a personal and a work account each, and a realistic mix of events
/// (timed, all-day, multi-day, recurring with moved and cancelled instances, status events, several zones),
/// placed relative to today.
/// </summary>
internal static class DemoSeed
{
    public static JsonObject Build(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        return new JsonObject
        {
            ["accounts"] = new JsonArray(
                Account("alice@example.com", "Alice Example", "Europe/Berlin",
                [
                    Series("standup0alice1", "Team standup", monday, "09:30", "09:45", "Europe/Berlin", "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
                    Moved("standup0alice1", "Team standup (moved)", monday.AddDays(8), "09:30", "10:00", "10:15", "Europe/Berlin"),
                    Cancelled("standup0alice1", monday.AddDays(10), "09:30", "Europe/Berlin"),
                    Timed("Dentist", today.AddDays(1), "14:00", "15:00", "Europe/Berlin", location: "Praxis Dr. Weiss, Berlin"),
                    Timed("Call with Bob (New York time)", today.AddDays(2), "11:00", "11:30", "America/New_York"),
                    AllDay("Mum's birthday", today.AddDays(5), 1),
                    AllDay("Trip to Lisbon", today.AddDays(10), 4, location: "Lisbon"),
                    Status("outOfOffice", "Out of office", today.AddDays(20), "09:00", today.AddDays(21), "18:00", "Europe/Berlin"),
                    Status("focusTime", "Focus time", today.AddDays(1), "08:00", today.AddDays(1), "09:00", "Europe/Berlin"),
                ],
                Calendar("Family", "Europe/Berlin",
                [
                    Series("soccer0practice1", "Kids' soccer practice", today.AddDays(1), "17:00", "18:30", "Europe/Berlin", "RRULE:FREQ=WEEKLY;COUNT=12"),
                    AllDay("School holidays", today.AddDays(14), 7),
                ], ("bob@example.com", "reader"))),
                Account("alice.work@example.com", "Alice Example", "America/New_York",
                [
                    Series("planning0sprint1", "Sprint planning", monday, "10:00", "11:30", "America/New_York", "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
                    Timed("Quarterly review", today.AddDays(3), "15:00", "16:00", "America/New_York", description: "Numbers, risks, <b>next quarter</b>."),
                    AllDay("DevConf Berlin", today.AddDays(30), 3, location: "Berlin"),
                    Status("outOfOffice", "Vacation", today.AddDays(40), "00:00", today.AddDays(45), "00:00", "America/New_York"),
                ], null),
                Account("bob@example.com", "Bob Sample", "Europe/London",
                [
                    Series("fitness0bob1", "Gym", today, "07:00", "08:00", "Europe/London", "RRULE:FREQ=WEEKLY;BYDAY=TU,TH;COUNT=20"),
                    Timed("Dinner with Alice", today.AddDays(4), "19:30", "22:00", "Europe/London", location: "The Ivy"),
                    AllDay("Holiday in Scotland", today.AddDays(12), 5),
                ], null),
                Account("bob.work@example.com", "Bob Sample", "Asia/Tokyo",
                [
                    Series("standup0bob1", "Daily sync", today, "09:00", "09:15", "Asia/Tokyo", "RRULE:FREQ=DAILY;COUNT=30", "EXDATE;TZID=Asia/Tokyo:" + Compact(today.AddDays(2), "09:00")),
                    Timed("Customer visit", today.AddDays(6), "13:00", "17:00", "Asia/Tokyo", location: "Osaka"),
                    Status("outOfOffice", "Business trip", today.AddDays(8), "09:00", today.AddDays(9), "18:00", "Asia/Tokyo"),
                ], null)),
        };
    }

    private static JsonObject Account(string email, string name, string timeZone, JsonObject[] events, JsonObject? calendar) => new()
    {
        ["email"] = email, ["name"] = name, ["timeZone"] = timeZone,
        ["events"] = new JsonArray([.. events]),
        ["calendars"] = calendar is null ? new JsonArray() : new JsonArray(calendar),
    };

    private static JsonObject Calendar(string summary, string timeZone, JsonObject[] events, params (string Email, string Role)[] shares) => new()
    {
        ["summary"] = summary, ["timeZone"] = timeZone, ["events"] = new JsonArray([.. events]),
        ["shareWith"] = new JsonArray([.. shares.Select(s => (JsonNode)new JsonObject { ["email"] = s.Email, ["role"] = s.Role })]),
    };

    private static JsonObject Timed(string summary, DateOnly day, string start, string end, string zone, string? location = null, string? description = null)
    {
        var e = new JsonObject { ["summary"] = summary, ["start"] = At(day, start, zone), ["end"] = At(day, end, zone) };
        if (location is not null)
        {
            e["location"] = location;
        }

        if (description is not null)
        {
            e["description"] = description;
        }

        return e;
    }

    private static JsonObject AllDay(string summary, DateOnly day, int days, string? location = null)
    {
        var e = new JsonObject { ["summary"] = summary, ["start"] = Date(day), ["end"] = Date(day.AddDays(days)), ["transparency"] = "transparent" };
        if (location is not null)
        {
            e["location"] = location;
        }

        return e;
    }

    private static JsonObject Series(string id, string summary, DateOnly first, string start, string end, string zone, params string[] recurrence)
    {
        var e = Timed(summary, first, start, end, zone);
        e["id"] = id;
        e["recurrence"] = new JsonArray([.. recurrence.Select(r => (JsonNode)r)]);
        return e;
    }

    private static JsonObject Moved(string seriesId, string summary, DateOnly day, string originalStart, string start, string end, string zone)
    {
        var e = Timed(summary, day, start, end, zone);
        e["recurringEventId"] = seriesId;
        e["originalStartTime"] = At(day, originalStart, zone);
        return e;
    }

    private static JsonObject Cancelled(string seriesId, DateOnly day, string originalStart, string zone) => new()
    {
        ["recurringEventId"] = seriesId, ["originalStartTime"] = At(day, originalStart, zone), ["status"] = "cancelled",
    };

    private static JsonObject Status(string type, string summary, DateOnly startDay, string start, DateOnly endDay, string end, string zone)
    {
        var e = new JsonObject { ["summary"] = summary, ["eventType"] = type, ["start"] = At(startDay, start, zone), ["end"] = At(endDay, end, zone) };
        e[type + "Properties"] = new JsonObject { ["autoDeclineMode"] = "declineOnlyNewConflictingInvitations" };
        return e;
    }

    private static JsonObject At(DateOnly day, string time, string zone) => new()
    {
        ["dateTime"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T" + time + ":00",
        ["timeZone"] = zone,
    };

    private static JsonObject Date(DateOnly day) => new() { ["date"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };

    private static string Compact(DateOnly day, string time) =>
        day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "T" + time.Replace(":", "", StringComparison.Ordinal) + "00";
}
