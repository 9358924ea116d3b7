using CalSync.GoogleEmulator.Events;
using CalSync.GoogleEmulator.Push;

namespace CalSync.GoogleEmulator.Api;

/// <summary>One Calendar v3 method: HTTP verb, path pattern under /calendar/v3/, Google's method id and accepted scopes (§1.2, §10.7).</summary>
internal sealed record CalendarRoute(string Verb, string[] Pattern, string MethodId, string[] Scopes, Func<CallContext, ApiResponse> Handler)
{
    public bool TryMatch(string verb, IReadOnlyList<string> segments, out List<string> args)
    {
        args = [];
        if (verb != Verb || segments.Count != Pattern.Length)
        {
            return false;
        }

        for (var i = 0; i < Pattern.Length; i++)
        {
            if (Pattern[i] == "*")
            {
                args.Add(segments[i]);
            }
            else if (Pattern[i] != segments[i])
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The route table of the emulated Calendar API.</summary>
internal static class CalendarRoutes
{
    private const string Auth = "https://www.googleapis.com/auth/";

    private static readonly string[] EventsRead =
    [
        Auth + "calendar", Auth + "calendar.readonly", Auth + "calendar.events", Auth + "calendar.events.readonly",
        Auth + "calendar.app.created", Auth + "calendar.events.freebusy", Auth + "calendar.events.owned",
        Auth + "calendar.events.owned.readonly", Auth + "calendar.events.public.readonly",
    ];

    private static readonly string[] EventsWrite =
        [Auth + "calendar", Auth + "calendar.events", Auth + "calendar.app.created", Auth + "calendar.events.owned"];

    private static readonly string[] CalendarListRead =
        [Auth + "calendar", Auth + "calendar.readonly", Auth + "calendar.calendarlist", Auth + "calendar.calendarlist.readonly"];

    private static readonly string[] CalendarsRead =
        [Auth + "calendar", Auth + "calendar.readonly", Auth + "calendar.app.created", Auth + "calendar.calendars", Auth + "calendar.calendars.readonly"];

    private static readonly string[] ColorsRead =
    [
        Auth + "calendar", Auth + "calendar.readonly", Auth + "calendar.app.created", Auth + "calendar.calendarlist",
        Auth + "calendar.calendarlist.readonly", Auth + "calendar.events.freebusy", Auth + "calendar.events.owned",
        Auth + "calendar.events.owned.readonly", Auth + "calendar.events.public.readonly",
    ];

    public static IReadOnlyList<CalendarRoute> Build(PushNotifier notifier) =>
    [
        new("GET", ["users", "me", "calendarList"], "calendar.calendarList.list", CalendarListRead, CalendarsApi.ListCalendarList),
        new("GET", ["users", "me", "calendarList", "*"], "calendar.calendarList.get", CalendarListRead, CalendarsApi.GetCalendarListEntry),
        new("GET", ["calendars", "*"], "calendar.calendars.get", CalendarsRead, CalendarsApi.GetCalendar),
        new("GET", ["colors"], "calendar.colors.get", ColorsRead, Colors.Get),
        new("GET", ["calendars", "*", "events"], "calendar.events.list", EventsRead, EventQuery.List),
        new("POST", ["calendars", "*", "events"], "calendar.events.insert", EventsWrite, EventsApi.Insert),
        new("POST", ["calendars", "*", "events", "watch"], "calendar.events.watch", EventsRead, ctx => WatchApi.Watch(ctx, notifier)),
        new("GET", ["calendars", "*", "events", "*"], "calendar.events.get", EventsRead, EventsApi.Get),
        new("PUT", ["calendars", "*", "events", "*"], "calendar.events.update", EventsWrite, EventsApi.Update),
        new("PATCH", ["calendars", "*", "events", "*"], "calendar.events.patch", EventsWrite, EventsApi.Patch),
        new("DELETE", ["calendars", "*", "events", "*"], "calendar.events.delete", EventsWrite, EventsApi.Delete),
        new("GET", ["calendars", "*", "events", "*", "instances"], "calendar.events.instances", EventsRead, EventQuery.Instances),
        new("POST", ["channels", "stop"], "calendar.channels.stop", [.. EventsRead.Union(CalendarListRead)], WatchApi.Stop),
    ];
}
