using System.Net;
using System.Text.Json;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Tests.Google.Integration;

/// <summary>Every client method against the emulator.</summary>
public sealed class CalendarClientIntegrationTests(GoogleEnvironment env) : IClassFixture<GoogleEnvironment>
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 9, 0, 0, TimeSpan.FromHours(1));

    internal static GoogleEvent NewEvent(string id, DateTimeOffset start, string summary = "Meeting") => new()
    {
        Id = id,
        Summary = summary,
        Description = "Agenda",
        Location = "Room 1",
        Start = EventDateTime.At(start, "Europe/Berlin"),
        End = EventDateTime.At(start.AddMinutes(30), "Europe/Berlin"),
        Transparency = "opaque",
        Visibility = "private",
        ColorId = "5",
        Reminders = EventReminders.None,
        ExtendedProperties = new() { Private = new Dictionary<string, string?> { ["calsync.sync"] = "s1", ["calsync.origin"] = "o1" } },
    };

    internal static string NewId() => "cs" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task ListCalendarsAsync_IncludesPrimaryAndCreatedCalendar()
    {
        var account = await env.ConnectNewAccountAsync();
        using (var created = await env.Admin.PostAsync($"emulator/accounts/{Uri.EscapeDataString(account.Email)}/calendars",
            JsonContentOf(new { summary = "Team", timeZone = "Europe/Zurich" })))
        {
            created.EnsureSuccessStatusCode();
        }

        var calendars = await account.Client.ListCalendarsAsync(CancellationToken.None);

        var primary = Assert.Single(calendars, c => c.Primary == true);
        Assert.Equal(account.Email, primary.Id);
        Assert.True(primary.CanWrite);
        Assert.Contains(calendars, c => c.Summary == "Team" && c.AccessRole == "owner");
    }

    [Fact]
    public async Task InsertGetUpdateDelete_RoundTripEveryModelledField()
    {
        var account = await env.ConnectNewAccountAsync();
        var id = NewId();

        var inserted = await account.Client.InsertEventAsync("primary", NewEvent(id, Monday), CancellationToken.None);
        var fetched = await account.Client.GetEventAsync("primary", id, CancellationToken.None);

        Assert.Equal(id, inserted.Id);
        Assert.NotNull(inserted.Etag);
        Assert.Equal(inserted.Etag, fetched!.Etag);
        Assert.Equal(("Meeting", "Agenda", "Room 1", "private", "5", "opaque"),
            (fetched.Summary, fetched.Description, fetched.Location, fetched.Visibility, fetched.ColorId, fetched.Transparency));
        Assert.Equal(Monday, fetched.Start!.DateTime);
        Assert.Equal("Europe/Berlin", fetched.Start.TimeZone);
        Assert.Equal("o1", fetched.ExtendedProperties!.Private!["calsync.origin"]);
        Assert.NotNull(fetched.Updated);
        Assert.NotNull(fetched.ICalUid);

        var updated = await account.Client.UpdateEventAsync("primary", id, fetched with { Summary = "Moved" }, fetched.Etag, CancellationToken.None);
        Assert.Equal("Moved", updated.Summary);
        Assert.NotEqual(fetched.Etag, updated.Etag);

        Assert.Equal(DeleteOutcome.Deleted, await account.Client.DeleteEventAsync("primary", id, updated.Etag, CancellationToken.None));
        Assert.Equal(DeleteOutcome.AlreadyGone, await account.Client.DeleteEventAsync("primary", id, null, CancellationToken.None));
        Assert.True((await account.Client.GetEventAsync("primary", id, CancellationToken.None))!.IsCancelled);
        Assert.Null(await account.Client.GetEventAsync("primary", NewId(), CancellationToken.None));
    }

    [Fact]
    public async Task AllDayEvent_KeepsItsDates()
    {
        var account = await env.ConnectNewAccountAsync();
        var id = NewId();

        await account.Client.InsertEventAsync("primary", new GoogleEvent
        {
            Id = id, Summary = "Holiday", Start = EventDateTime.AllDay(new DateOnly(2026, 12, 24)), End = EventDateTime.AllDay(new DateOnly(2026, 12, 27)),
        }, CancellationToken.None);
        var fetched = await account.Client.GetEventAsync("primary", id, CancellationToken.None);

        Assert.Equal(new DateOnly(2026, 12, 24), fetched!.Start!.Date);
        Assert.Null(fetched.Start.DateTime);
        Assert.Equal(new DateOnly(2026, 12, 27), fetched.End!.Date);
    }

    [Fact]
    public async Task InsertEventAsync_SameIdTwice_ThrowsConflict()
    {
        var account = await env.ConnectNewAccountAsync();
        var id = NewId();
        await account.Client.InsertEventAsync("primary", NewEvent(id, Monday), CancellationToken.None);

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => account.Client.InsertEventAsync("primary", NewEvent(id, Monday), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.True(error.IsConflict);
        Assert.Equal("duplicate", error.Reason);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task UpdateAndPatch_StaleEtag_ThrowPreconditionFailed()
    {
        var account = await env.ConnectNewAccountAsync();
        var id = NewId();
        var inserted = await account.Client.InsertEventAsync("primary", NewEvent(id, Monday), CancellationToken.None);
        await account.Client.PatchEventAsync("primary", id, new EventPatch { Changes = new GoogleEvent { Summary = "Edited elsewhere" } }, null, CancellationToken.None);

        var update = await Assert.ThrowsAsync<GoogleApiException>(() =>
            account.Client.UpdateEventAsync("primary", id, inserted with { Summary = "Mine" }, inserted.Etag, CancellationToken.None));
        var patch = await Assert.ThrowsAsync<GoogleApiException>(() =>
            account.Client.PatchEventAsync("primary", id, new EventPatch { Changes = new GoogleEvent { Summary = "Mine" } }, inserted.Etag, CancellationToken.None));

        Assert.All([update, patch], e => Assert.Equal(HttpStatusCode.PreconditionFailed, e.StatusCode));
        Assert.True(update.IsPreconditionFailed);
        Assert.False(update.IsRetryable);
        Assert.Equal("Edited elsewhere", (await account.Client.GetEventAsync("primary", id, CancellationToken.None))!.Summary);
    }

    [Fact]
    public async Task Conference_RoundTrip_CopyCarriesEntryPointsUpdateDropsThemPatchLeavesTheOriginsAlone()
    {
        var account = await env.ConnectNewAccountAsync();
        var originId = NewId();
        // An origin with a Meet call, made the way Calendar's own UI makes one.
        using (var created = await env.RawAsync(account, HttpMethod.Post, "calendar/v3/calendars/primary/events?conferenceDataVersion=1", new
        {
            id = originId,
            summary = "Call",
            start = new { dateTime = "2026-11-30T10:00:00+01:00" },
            end = new { dateTime = "2026-11-30T11:00:00+01:00" },
            conferenceData = new { createRequest = new { requestId = "r-" + originId, conferenceSolutionKey = new { type = "hangoutsMeet" } } },
        }))
        {
            created.EnsureSuccessStatusCode();
        }
        var origin = (await account.Client.GetEventAsync("primary", originId, CancellationToken.None))!;
        var video = Assert.Single(origin.ConferenceData!.EntryPoints!, p => p.EntryPointType == "video");
        Assert.Equal(video.Uri, origin.HangoutLink);

        var copyId = NewId();
        var copy = NewEvent(copyId, Monday) with
        {
            ConferenceData = new ConferenceData { ConferenceId = origin.ConferenceData.ConferenceId, ConferenceSolution = origin.ConferenceData.ConferenceSolution, EntryPoints = origin.ConferenceData.EntryPoints },
        };
        var inserted = await account.Client.InsertEventAsync("primary", copy, CancellationToken.None);
        var fetched = (await account.Client.GetEventAsync("primary", copyId, CancellationToken.None))!;
        Assert.Equal(video.Uri, Assert.Single(fetched.ConferenceData!.EntryPoints!).Uri);
        Assert.Equal(origin.ConferenceData.ConferenceId, fetched.ConferenceData.ConferenceId);

        // A copy written again without one (the look drops it) has none: the write said so with conferenceDataVersion=1.
        var updated = await account.Client.UpdateEventAsync("primary", copyId, fetched with { ConferenceData = null, HangoutLink = null }, inserted.Etag, CancellationToken.None);
        Assert.Null(updated.ConferenceData);
        Assert.Null((await account.Client.GetEventAsync("primary", copyId, CancellationToken.None))!.ConferenceData);

        // An origin patched (two-way) keeps its call.
        await account.Client.PatchEventAsync("primary", originId, new EventPatch { Changes = new GoogleEvent { Summary = "Call (moved)" } }, origin.Etag, CancellationToken.None);
        var patched = (await account.Client.GetEventAsync("primary", originId, CancellationToken.None))!;
        Assert.Equal(("Call (moved)", video.Uri), (patched.Summary, patched.ConferenceData?.EntryPoints?.Single(p => p.EntryPointType == "video").Uri));
    }

    [Fact]
    public async Task PatchEventAsync_KeepsFieldsCalSyncDoesNotModel()
    {
        var account = await env.ConnectNewAccountAsync();
        var id = NewId();
        using (var created = await env.RawAsync(account, HttpMethod.Post, "calendar/v3/calendars/primary/events?sendUpdates=none", new
        {
            id,
            summary = "Team sync",
            description = "Notes",
            start = new { dateTime = "2026-11-30T10:00:00+01:00" },
            end = new { dateTime = "2026-11-30T11:00:00+01:00" },
            attendees = new[] { new { email = "bob@example.com" }, new { email = "carol@example.com" } },
        }))
        {
            created.EnsureSuccessStatusCode();
        }
        var before = await account.Client.GetEventAsync("primary", id, CancellationToken.None);

        var patched = await account.Client.PatchEventAsync("primary", id,
            new EventPatch { Changes = new GoogleEvent { Summary = "Team sync (moved)" }, Clear = ["description"] }, before!.Etag, CancellationToken.None);

        Assert.Equal("Team sync (moved)", patched.Summary);
        Assert.Null(patched.Description);
        using var raw = await env.RawAsync(account, HttpMethod.Get, $"calendar/v3/calendars/primary/events/{id}");
        using var json = JsonDocument.Parse(await raw.Content.ReadAsStringAsync());
        Assert.Equal(2, json.RootElement.GetProperty("attendees").GetArrayLength());
    }

    [Fact]
    public async Task WatchAndStop_OpenAndCloseAChannel()
    {
        var account = await env.ConnectNewAccountAsync();

        var channel = await account.Client.WatchEventsAsync("primary",
            new WatchRequest { Id = Guid.NewGuid().ToString(), Address = new Uri("https://calsync.example/webhooks/google"), Token = "channel-secret", TimeToLive = TimeSpan.FromHours(1) },
            CancellationToken.None);
        await account.Client.StopChannelAsync(channel.Id, channel.ResourceId!, CancellationToken.None);

        Assert.NotNull(channel.ResourceId);
        Assert.Equal("channel-secret", channel.Token);
        Assert.NotNull(channel.ExpiresAt);
    }

    internal static StringContent JsonContentOf(object value) =>
        new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
