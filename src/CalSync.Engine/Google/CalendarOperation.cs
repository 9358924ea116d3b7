using System.Text.Json;
using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Google;

/// <summary>
/// One event call, built once and sent alone or as a batch part. Every write carries <c>sendUpdates=none</c>:
/// CalSync never notifies attendees.
/// </summary>
public sealed class CalendarOperation
{
    private CalendarOperation(HttpMethod method, string methodId, string relativeUri, byte[]? body = null, string? ifMatch = null)
    {
        Method = method;
        MethodId = methodId;
        RelativeUri = relativeUri;
        Body = body;
        IfMatch = ifMatch;
    }

    internal HttpMethod Method { get; }

    /// <summary>The Calendar method id, e.g. <c>calendar.events.patch</c>.</summary>
    public string MethodId { get; }

    /// <summary>Path and query relative to <see cref="GoogleApiOptions.CalendarBaseUri"/>.</summary>
    internal string RelativeUri { get; }

    internal byte[]? Body { get; }
    internal string? IfMatch { get; }

    public static CalendarOperation GetEvent(string calendarId, string eventId) =>
        new(HttpMethod.Get, "calendar.events.get", EventPath(calendarId, eventId));

    /// <summary>Inserts under the event's own id, which must be set: that makes a retried insert answer 409 instead of duplicating.</summary>
    public static CalendarOperation InsertEvent(string calendarId, GoogleEvent googleEvent)
    {
        ArgumentNullException.ThrowIfNull(googleEvent);
        EventIds.ThrowIfInvalid(googleEvent.Id);
        return new(HttpMethod.Post, "calendar.events.insert", EventsPath(calendarId) + CopyWriteQuery, Serialize(googleEvent));
    }

    /// <summary>Replaces the whole event: for events CalSync owns (copies). Fields left null are cleared at Google.</summary>
    public static CalendarOperation UpdateEvent(string calendarId, string eventId, GoogleEvent googleEvent, string? ifMatch) =>
        new(HttpMethod.Put, "calendar.events.update", EventPath(calendarId, eventId) + CopyWriteQuery, Serialize(googleEvent), ifMatch);

    /// <summary>Changes only the given fields: for events CalSync does not own, whose attendees and attachments must survive.</summary>
    public static CalendarOperation PatchEvent(string calendarId, string eventId, EventPatch patch, string? ifMatch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return new(HttpMethod.Patch, "calendar.events.patch", EventPath(calendarId, eventId) + WriteQuery, patch.ToJson(), ifMatch);
    }

    public static CalendarOperation DeleteEvent(string calendarId, string eventId, string? ifMatch) =>
        new(HttpMethod.Delete, "calendar.events.delete", EventPath(calendarId, eventId) + WriteQuery, ifMatch: ifMatch);

    internal static CalendarOperation ListEvents(string calendarId, string query) =>
        new(HttpMethod.Get, "calendar.events.list", EventsPath(calendarId) + query);

    internal static CalendarOperation ListCalendars(string query) =>
        new(HttpMethod.Get, "calendar.calendarList.list", "users/me/calendarList" + query);

    internal static CalendarOperation WatchEvents(string calendarId, string query, byte[] body) =>
        new(HttpMethod.Post, "calendar.events.watch", EventsPath(calendarId) + "/watch" + query, body);

    internal static CalendarOperation StopChannel(byte[] body) =>
        new(HttpMethod.Post, "calendar.channels.stop", "channels/stop", body);

    public override string ToString() => $"{MethodId} {Method} {RelativeUri}";

    private const string WriteQuery = "?sendUpdates=none";

    // Inserts and updates write only copies, whose conference is wholly CalSync's: with version 1 Google stores
    // exactly the conferenceData sent, none included (so a copy whose look drops it loses it). Patches of origins
    // leave it out, and so never touch the origin's conference.
    private const string CopyWriteQuery = WriteQuery + "&conferenceDataVersion=1";

    private static string EventsPath(string calendarId)
    {
        ArgumentException.ThrowIfNullOrEmpty(calendarId);
        return $"calendars/{Uri.EscapeDataString(calendarId)}/events";
    }

    private static string EventPath(string calendarId, string eventId)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        return $"{EventsPath(calendarId)}/{Uri.EscapeDataString(eventId)}";
    }

    private static byte[] Serialize(GoogleEvent googleEvent) =>
        JsonSerializer.SerializeToUtf8Bytes(googleEvent, GoogleJsonContext.Default.GoogleEvent);
}
