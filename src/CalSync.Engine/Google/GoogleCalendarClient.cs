using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Google.Transport;

namespace CalSync.Engine.Google;

/// <summary>
/// Typed Calendar v3 client for one Google account. Failures throw <see cref="GoogleException"/>s that say
/// whether they are retryable; expected outcomes (410 on a sync token, 404/410 on delete) are results instead.
/// Create one per account and run with <c>GoogleCalendarClientFactory</c>.
/// </summary>
public sealed partial class GoogleCalendarClient(GoogleTransport transport, IGoogleCredential credential)
{
    public string AccountKey => credential.AccountKey;

    /// <summary>The calendars of the account's calendar list (every page; Google's page maximum is 250).</summary>
    public async Task<IReadOnlyList<CalendarListEntry>> ListCalendarsAsync(CancellationToken cancellationToken)
    {
        var calendars = new List<CalendarListEntry>();
        string? pageToken = null;
        do
        {
            var query = new QueryString().Add("maxResults", "250").Add("pageToken", pageToken).ToString();
            var page = await SendAsync(CalendarOperation.ListCalendars(query), GoogleJsonContext.Default.CalendarListPage, cancellationToken);
            calendars.AddRange(page.Items ?? []);
            pageToken = page.NextPageToken;
        }
        while (pageToken is not null);
        return calendars;
    }

    /// <summary>
    /// Lists events of a calendar across every page, in full (a window) or incrementally (a sync token).
    /// An expired sync token yields <see cref="SyncTokenExpired"/>.
    /// </summary>
    public async Task<EventListResult> ListEventsAsync(string calendarId, EventListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var events = new List<GoogleEvent>();
        string? pageToken = null;
        var pages = 0;
        while (true)
        {
            var operation = CalendarOperation.ListEvents(calendarId, query.ToQuery(pageToken).ToString());
            var response = await transport.SendAsync(credential, ToRequest(operation), cancellationToken);
            if (response.Status == HttpStatusCode.Gone)
            {
                return SyncTokenExpired.Instance;
            }
            var page = Read(operation, response, GoogleJsonContext.Default.EventsPage);
            pages++;
            events.AddRange(page.Items ?? []);
            if (page.NextPageToken is null)
            {
                return new EventListing(events, page.NextSyncToken, pages);
            }
            pageToken = page.NextPageToken;
        }
    }

    /// <summary>The event, a cancelled one included (Google keeps deleted events); null when it never existed.</summary>
    public async Task<GoogleEvent?> GetEventAsync(string calendarId, string eventId, CancellationToken cancellationToken)
    {
        var operation = CalendarOperation.GetEvent(calendarId, eventId);
        var response = await transport.SendAsync(credential, ToRequest(operation), cancellationToken);
        return response.Status == HttpStatusCode.NotFound ? null : Read(operation, response, GoogleJsonContext.Default.GoogleEvent);
    }

    /// <summary>Inserts under the event's client-chosen id; an existing id throws <see cref="GoogleApiException"/> with <see cref="GoogleApiException.IsConflict"/>.</summary>
    public Task<GoogleEvent> InsertEventAsync(string calendarId, GoogleEvent googleEvent, CancellationToken cancellationToken) =>
        SendAsync(CalendarOperation.InsertEvent(calendarId, googleEvent), GoogleJsonContext.Default.GoogleEvent, cancellationToken);

    /// <summary>Replaces an event CalSync owns; a stale <paramref name="ifMatch"/> throws with <see cref="GoogleApiException.IsPreconditionFailed"/>.</summary>
    public Task<GoogleEvent> UpdateEventAsync(string calendarId, string eventId, GoogleEvent googleEvent, string? ifMatch, CancellationToken cancellationToken) =>
        SendAsync(CalendarOperation.UpdateEvent(calendarId, eventId, googleEvent, ifMatch), GoogleJsonContext.Default.GoogleEvent, cancellationToken);

    /// <summary>Changes some fields of an event, leaving the ones CalSync does not model intact.</summary>
    public Task<GoogleEvent> PatchEventAsync(string calendarId, string eventId, EventPatch patch, string? ifMatch, CancellationToken cancellationToken) =>
        SendAsync(CalendarOperation.PatchEvent(calendarId, eventId, patch, ifMatch), GoogleJsonContext.Default.GoogleEvent, cancellationToken);

    /// <summary>Deletes an event; one that is already gone (404, or 410 <c>deleted</c>) is reported, not thrown.</summary>
    public async Task<DeleteOutcome> DeleteEventAsync(string calendarId, string eventId, string? ifMatch, CancellationToken cancellationToken)
    {
        var operation = CalendarOperation.DeleteEvent(calendarId, eventId, ifMatch);
        var response = await transport.SendAsync(credential, ToRequest(operation), cancellationToken);
        return response.Status switch
        {
            HttpStatusCode.NotFound or HttpStatusCode.Gone => DeleteOutcome.AlreadyGone,
            _ when response.IsSuccess => DeleteOutcome.Deleted,
            _ => throw response.ToException(operation.MethodId),
        };
    }

    /// <summary>Opens a push channel on a calendar's events.</summary>
    public Task<Channel> WatchEventsAsync(string calendarId, WatchRequest watch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watch);
        var body = new ChannelRequestBody
        {
            Id = watch.Id,
            Type = "web_hook",
            Address = watch.Address.ToString(),
            Token = watch.Token,
            Params = watch.TimeToLive is { } ttl
                ? new Dictionary<string, string> { ["ttl"] = ((long)ttl.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) }
                : null,
        };
        var operation = CalendarOperation.WatchEvents(calendarId, new QueryString().Add("singleEvents", "true").ToString(), Serialize(body));
        return SendAsync(operation, GoogleJsonContext.Default.Channel, cancellationToken);
    }

    /// <summary>Stops a push channel; an unknown channel (404) counts as stopped.</summary>
    public async Task StopChannelAsync(string channelId, string resourceId, CancellationToken cancellationToken)
    {
        var operation = CalendarOperation.StopChannel(Serialize(new ChannelRequestBody { Id = channelId, ResourceId = resourceId }));
        var response = await transport.SendAsync(credential, ToRequest(operation), cancellationToken);
        if (!response.IsSuccess && response.Status != HttpStatusCode.NotFound)
        {
            throw response.ToException(operation.MethodId);
        }
    }

    private async Task<T> SendAsync<T>(CalendarOperation operation, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var response = await transport.SendAsync(credential, ToRequest(operation), cancellationToken);
        return Read(operation, response, type);
    }

    private static T Read<T>(CalendarOperation operation, GoogleResponse response, JsonTypeInfo<T> type)
    {
        if (!response.IsSuccess)
        {
            throw response.ToException(operation.MethodId);
        }
        return JsonSerializer.Deserialize(response.Body, type)
            ?? throw new GoogleApiException(operation.MethodId, response.Status, "emptyResponse", "Google answered without a body.");
    }

    private GoogleRequest ToRequest(CalendarOperation operation) => new()
    {
        Method = operation.Method,
        Uri = new Uri(transport.Options.CalendarBaseUri, operation.RelativeUri),
        Name = operation.MethodId,
        Calls = [operation.MethodId],
        Body = operation.Body,
        IfMatch = operation.IfMatch,
    };

    private static byte[] Serialize(ChannelRequestBody body) => JsonSerializer.SerializeToUtf8Bytes(body, GoogleJsonContext.Default.ChannelRequestBody);
}

/// <summary>What a delete did.</summary>
public enum DeleteOutcome
{
    Deleted,

    /// <summary>The event had been deleted before or never existed: the goal holds either way.</summary>
    AlreadyGone,
}
