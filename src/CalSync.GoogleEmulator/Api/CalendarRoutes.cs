using CalSync.GoogleEmulator.Events;
using CalSync.GoogleEmulator.Push;

namespace CalSync.GoogleEmulator.Api;

/// <summary>One Calendar v3 method: HTTP verb, path pattern under /calendar/v3/, Google's method id and accepted scopes.</summary>
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

    private static readonly string[] CalendarsWrite = [Auth + "calendar", Auth + "calendar.app.created", Auth + "calendar.calendars"];

    private static readonly string[] CalendarListWrite = [Auth + "calendar", Auth + "calendar.calendarlist"];

    private static readonly string[] FreeBusyRead =
        [Auth + "calendar", Auth + "calendar.readonly", Auth + "calendar.freebusy", Auth + "calendar.events.freebusy"];

    private static readonly string[] SettingsRead = [Auth + "calendar", Auth + "calendar.readonly", Auth + "calendar.settings.readonly"];

    private static readonly string[] AclRead = [Auth + "calendar", Auth + "calendar.acls", Auth + "calendar.acls.readonly"];

    private static readonly string[] AclWrite = [Auth + "calendar", Auth + "calendar.acls"];

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
        new("POST", ["calendars", "*", "events", "import"], "calendar.events.import", EventsWrite, EventSpecialWritesApi.Import),
        new("POST", ["calendars", "*", "events", "quickAdd"], "calendar.events.quickAdd", EventsWrite, EventSpecialWritesApi.QuickAdd),
        new("POST", ["calendars", "*", "events", "*", "move"], "calendar.events.move", EventsWrite, EventSpecialWritesApi.Move),
        new("POST", ["calendars"], "calendar.calendars.insert", CalendarsWrite, CalendarsWriteApi.InsertCalendar),
        new("PUT", ["calendars", "*"], "calendar.calendars.update", CalendarsWrite, CalendarsWriteApi.UpdateCalendar),
        new("PATCH", ["calendars", "*"], "calendar.calendars.patch", CalendarsWrite, CalendarsWriteApi.PatchCalendar),
        new("DELETE", ["calendars", "*"], "calendar.calendars.delete", CalendarsWrite, CalendarsWriteApi.DeleteCalendar),
        new("POST", ["calendars", "*", "clear"], "calendar.calendars.clear", CalendarsWrite, CalendarsWriteApi.ClearCalendar),
        new("POST", ["users", "me", "calendarList"], "calendar.calendarList.insert", CalendarListWrite, CalendarsWriteApi.InsertListEntry),
        new("PUT", ["users", "me", "calendarList", "*"], "calendar.calendarList.update", CalendarListWrite, CalendarsWriteApi.UpdateListEntry),
        new("PATCH", ["users", "me", "calendarList", "*"], "calendar.calendarList.patch", CalendarListWrite, CalendarsWriteApi.PatchListEntry),
        new("DELETE", ["users", "me", "calendarList", "*"], "calendar.calendarList.delete", CalendarListWrite, CalendarsWriteApi.DeleteListEntry),
        new("POST", ["freeBusy"], "calendar.freebusy.query", FreeBusyRead, FreeBusyApi.Query),
        new("GET", ["users", "me", "settings"], "calendar.settings.list", SettingsRead, SettingsApi.List),
        new("GET", ["users", "me", "settings", "*"], "calendar.settings.get", SettingsRead, SettingsApi.Get),
        new("GET", ["calendars", "*", "acl"], "calendar.acl.list", AclRead, AclApi.List),
        new("GET", ["calendars", "*", "acl", "*"], "calendar.acl.get", AclRead, AclApi.Get),
        new("POST", ["calendars", "*", "acl"], "calendar.acl.insert", AclWrite, AclApi.Insert),
        new("PUT", ["calendars", "*", "acl", "*"], "calendar.acl.update", AclWrite, AclApi.Update),
        new("PATCH", ["calendars", "*", "acl", "*"], "calendar.acl.patch", AclWrite, AclApi.Update),
        new("DELETE", ["calendars", "*", "acl", "*"], "calendar.acl.delete", AclWrite, AclApi.Delete),
        new("POST", ["calendars", "*", "acl", "watch"], "calendar.acl.watch", AclRead, ctx => WatchApi.Watch(ctx, notifier, "acl")),
        new("POST", ["users", "me", "calendarList", "watch"], "calendar.calendarList.watch", CalendarListRead, ctx => WatchApi.Watch(ctx, notifier, "calendarList")),
        new("POST", ["users", "me", "settings", "watch"], "calendar.settings.watch", SettingsRead, ctx => WatchApi.Watch(ctx, notifier, "settings")),
    ];
}
