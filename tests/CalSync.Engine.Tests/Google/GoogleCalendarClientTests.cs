using System.Net;
using System.Text.Json;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;
using CalSync.Testing;

namespace CalSync.Engine.Tests.Google;

public sealed class GoogleCalendarClientTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly GoogleEvent NewEvent = new()
    {
        Id = "abcdef0123",
        Summary = "Standup",
        Start = EventDateTime.At(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.FromHours(1)), "Europe/Berlin"),
        End = EventDateTime.At(new DateTimeOffset(2026, 11, 24, 9, 15, 0, TimeSpan.FromHours(1)), "Europe/Berlin"),
        ExtendedProperties = new() { Private = new Dictionary<string, string?> { ["calsync.sync"] = "s1" } },
    };

    [Fact]
    public async Task ListEventsAsync_TwoPages_FollowsPageTokenAndReturnsSyncToken()
    {
        using var google = new FakeGoogle(database.DataSource, r => r.Uri.Query.Contains("pageToken=p2", StringComparison.Ordinal)
            ? FakeHandler.Json(HttpStatusCode.OK, """{"items":[{"id":"e2","status":"cancelled"}],"nextSyncToken":"sync-2"}""")
            : FakeHandler.Json(HttpStatusCode.OK, """{"items":[{"id":"e1","summary":"a","start":{"date":"2026-11-24"},"end":{"date":"2026-11-25"}}],"nextPageToken":"p2"}"""));

        var result = await google.Client.ListEventsAsync("a@b.com",
            EventListQuery.Window(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero)),
            CancellationToken.None);

        var listing = Assert.IsType<EventListing>(result);
        Assert.Equal(["e1", "e2"], listing.Events.Select(e => e.Id));
        Assert.Equal("sync-2", listing.NextSyncToken);
        Assert.Equal(new DateOnly(2026, 11, 24), listing.Events[0].Start!.Date);
        Assert.True(listing.Events[1].IsCancelled);
        var first = google.Handler.Requests[0].Uri;
        Assert.Equal("/calendar/v3/calendars/a%40b.com/events", first.AbsolutePath);
        Assert.Contains("maxResults=2500", first.Query, StringComparison.Ordinal);
        Assert.Contains("singleEvents=true", first.Query, StringComparison.Ordinal);
        Assert.Contains("timeMin=2026-11-01T00%3A00%3A00Z", first.Query, StringComparison.Ordinal);
        Assert.Equal(2, google.Handler.Requests.Count);
    }

    [Fact]
    public async Task ListEventsAsync_Gone_ReturnsSyncTokenExpired()
    {
        using var google = new FakeGoogle(database.DataSource, _ => FakeHandler.Error(HttpStatusCode.Gone, "fullSyncRequired", "calendar"));

        var result = await google.Client.ListEventsAsync("primary", EventListQuery.Changes("old"), CancellationToken.None);

        Assert.IsType<SyncTokenExpired>(result);
        Assert.Single(google.Handler.Requests);
        Assert.Contains("syncToken=old", google.Handler.Requests[0].Uri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InsertEventAsync_SendsIdBodyAndSendUpdatesNone()
    {
        using var google = new FakeGoogle(database.DataSource, r => FakeHandler.Json(HttpStatusCode.OK, r.Body!.Replace("{", """{"etag":"\"1\"",""", StringComparison.Ordinal)));

        var inserted = await google.Client.InsertEventAsync("primary", NewEvent, CancellationToken.None);

        var request = google.Handler.Requests.Single();
        Assert.Equal(HttpMethod.Post, request.Method);
        // A copy's conference is CalSync's alone: with version 1 Google stores exactly the one sent, or none.
        Assert.Equal("?sendUpdates=none&conferenceDataVersion=1", request.Uri.Query);
        using var body = JsonDocument.Parse(request.Body!);
        Assert.Equal("abcdef0123", body.RootElement.GetProperty("id").GetString());
        Assert.Equal("Europe/Berlin", body.RootElement.GetProperty("start").GetProperty("timeZone").GetString());
        Assert.False(body.RootElement.TryGetProperty("description", out _));
        Assert.Equal("\"1\"", inserted.Etag);
        Assert.Equal("token-1", request.Bearer);
    }

    [Fact]
    public async Task InsertEventAsync_WithoutClientId_Throws()
    {
        using var google = new FakeGoogle(database.DataSource, _ => throw new InvalidOperationException("no request expected"));

        await Assert.ThrowsAsync<ArgumentException>(() =>
            google.Client.InsertEventAsync("primary", NewEvent with { Id = null }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            google.Client.InsertEventAsync("primary", NewEvent with { Id = "UPPER-case" }, CancellationToken.None));
    }

    [Fact]
    public async Task InsertEventAsync_Duplicate_ThrowsConflictNotRetryable()
    {
        using var google = new FakeGoogle(database.DataSource, _ => FakeHandler.Error(HttpStatusCode.Conflict, "duplicate"));

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => google.Client.InsertEventAsync("primary", NewEvent, CancellationToken.None));

        Assert.True(error.IsConflict);
        Assert.False(error.IsRetryable);
        Assert.Equal("duplicate", error.Reason);
        Assert.Equal("calendar.events.insert", error.Method);
        Assert.Single(google.Handler.Requests);
    }

    [Fact]
    public async Task PatchEventAsync_SendsOnlyChangedAndClearedFieldsWithIfMatch()
    {
        using var google = new FakeGoogle(database.DataSource, _ => FakeHandler.Json(HttpStatusCode.OK, """{"id":"e1","etag":"\"9\""}"""));
        var patch = new EventPatch
        {
            Changes = new GoogleEvent { Summary = "New", ExtendedProperties = new() { Private = new Dictionary<string, string?> { ["gone"] = null } } },
            Clear = ["description"],
        };

        await google.Client.PatchEventAsync("primary", "e1", patch, "\"8\"", CancellationToken.None);

        var request = google.Handler.Requests.Single();
        Assert.Equal(HttpMethod.Patch, request.Method);
        Assert.Equal("\"8\"", request.IfMatch);
        Assert.Equal("?sendUpdates=none", request.Uri.Query);
        Assert.Equal("""{"summary":"New","extendedProperties":{"private":{"gone":null}},"description":null}""", request.Body);
    }

    [Fact]
    public async Task UpdateEventAsync_PreconditionFailed_ThrowsTyped()
    {
        using var google = new FakeGoogle(database.DataSource, _ => FakeHandler.Error(HttpStatusCode.PreconditionFailed, "conditionNotMet"));

        var error = await Assert.ThrowsAsync<GoogleApiException>(() =>
            google.Client.UpdateEventAsync("primary", "abcdef0123", NewEvent, "\"1\"", CancellationToken.None));

        Assert.True(error.IsPreconditionFailed);
        Assert.False(error.IsRetryable);
        Assert.Equal(HttpMethod.Put, google.Handler.Requests.Single().Method);
    }

    [Theory]
    [InlineData(HttpStatusCode.NoContent, DeleteOutcome.Deleted)]
    [InlineData(HttpStatusCode.Gone, DeleteOutcome.AlreadyGone)]
    [InlineData(HttpStatusCode.NotFound, DeleteOutcome.AlreadyGone)]
    public async Task DeleteEventAsync_MapsStatus(HttpStatusCode status, DeleteOutcome expected)
    {
        using var google = new FakeGoogle(database.DataSource, _ => status == HttpStatusCode.NoContent ? new HttpResponseMessage(status) : FakeHandler.Error(status, "deleted"));

        Assert.Equal(expected, await google.Client.DeleteEventAsync("primary", "abcdef0123", null, CancellationToken.None));
        Assert.Equal("?sendUpdates=none", google.Handler.Requests.Single().Uri.Query);
    }

    [Fact]
    public async Task WatchAndStop_SendChannelBodies()
    {
        using var google = new FakeGoogle(database.DataSource, r => r.Uri.AbsolutePath.EndsWith("/watch", StringComparison.Ordinal)
            ? FakeHandler.Json(HttpStatusCode.OK, """{"kind":"api#channel","id":"ch1","resourceId":"r1","resourceUri":"u","token":"secret","expiration":"1790000000000"}""")
            : new HttpResponseMessage(HttpStatusCode.NoContent));

        var channel = await google.Client.WatchEventsAsync("primary",
            new WatchRequest { Id = "ch1", Address = new Uri("https://calsync.test/webhooks/google"), Token = "secret", TimeToLive = TimeSpan.FromDays(1) },
            CancellationToken.None);
        await google.Client.StopChannelAsync(channel.Id, channel.ResourceId!, CancellationToken.None);

        Assert.Equal(1790000000000, channel.Expiration);
        Assert.DoesNotContain("secret", channel.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"ttl\":\"86400\"", google.Handler.Requests[0].Body, StringComparison.Ordinal);
        Assert.Equal("/calendar/v3/channels/stop", google.Handler.Requests[1].Uri.AbsolutePath);
        Assert.Equal("""{"id":"ch1","resourceId":"r1"}""", google.Handler.Requests[1].Body);
    }

    [Fact]
    public async Task ListCalendarsAsync_ReadsEntries()
    {
        using var google = new FakeGoogle(database.DataSource, _ => FakeHandler.Json(HttpStatusCode.OK,
            """{"items":[{"id":"a@b.com","summary":"A","accessRole":"owner","primary":true},{"id":"x","accessRole":"reader"}]}"""));

        var calendars = await google.Client.ListCalendarsAsync(CancellationToken.None);

        Assert.Equal([true, false], calendars.Select(c => c.CanWrite));
        Assert.True(calendars[0].Primary);
    }
}
