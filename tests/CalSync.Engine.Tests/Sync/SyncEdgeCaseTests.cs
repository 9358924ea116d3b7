using System.Globalization;
using CalSync.Engine.Auth;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;
using CalSync.Engine.Tests.Sync.ModelBased;

namespace CalSync.Engine.Tests.Sync;

/// <summary>The numbered edge cases of design.md that the scenario tests do not already cover, against the emulator.</summary>
public sealed class SyncEdgeCaseTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>, IAsyncLifetime
{
    private static readonly int[] Unavailable = [503];
    private static readonly int[] TooManyRequests = [429];
    private static readonly DateTimeOffset Tomorrow = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(9);

    public Task InitializeAsync() => env.ResetFaultsAsync();

    public Task DisposeAsync() => env.ResetFaultsAsync();

    [Fact]
    public async Task Case1_a_failing_listing_deletes_nothing()
    {
        var s = await env.NewScenarioAsync();
        await Scenario.AddAsync(s.Source, Scenario.Timed("Survivor", Tomorrow));
        await s.RunAsync();
        await env.SetFaultsAsync(new { errorRate = 1.0, errorStatuses = Unavailable });

        await Assert.ThrowsAsync<GoogleApiException>(() => s.RunAsync(new RunFlags(FullResync: true)));

        await env.ResetFaultsAsync();
        Assert.Single(await Scenario.LiveEventsAsync(s.Target));
    }

    [Fact]
    public async Task Case1_a_suspiciously_empty_full_listing_deletes_nothing()
    {
        var s = await env.NewScenarioAsync();
        await Scenario.AddAsync(s.Source, Scenario.Timed("Survivor", Tomorrow));
        await s.RunAsync();

        var run = await s.RunAsync(new RunFlags(FullResync: true), a: new EmptyListings(s.A));

        Assert.Equal(0, run.Deleted);
        Assert.Single(await Scenario.LiveEventsAsync(s.Target));
    }

    [Fact]
    public async Task Case5_an_edit_during_the_run_is_reread_and_replanned()
    {
        var s = await env.NewScenarioAsync();
        var origin = await Scenario.AddAsync(s.Source, Scenario.Timed("Original", Tomorrow));
        await s.RunAsync();
        await s.Source.Client.PatchEventAsync("primary", origin.Id!, new EventPatch { Changes = new GoogleEvent { Summary = "Renamed" } }, null, CancellationToken.None);
        var racer = new FaultySide(s.B, s.Target.Client, Fault.Race);

        await s.RunAsync(b: racer);

        Assert.Single(racer.Raced);
        var copy = Assert.Single(await Scenario.LiveEventsAsync(s.Target));
        Assert.Equal("Renamed", copy.Summary); // The racing edit to the copy was reverted: one-way, the origin wins.
    }

    [Fact]
    public async Task Case6_out_of_office_focus_time_and_working_location_sync_without_errors()
    {
        var s = await env.NewScenarioAsync();
        await InsertRawAsync(s, new
        {
            eventType = "outOfOffice", summary = "Away",
            start = new { dateTime = Tomorrow.ToString("O", CultureInfo.InvariantCulture), timeZone = "UTC" }, end = new { dateTime = Tomorrow.AddHours(8).ToString("O", CultureInfo.InvariantCulture), timeZone = "UTC" },
            outOfOfficeProperties = new { autoDeclineMode = "declineNone" },
        });
        await InsertRawAsync(s, new
        {
            eventType = "focusTime", summary = "Deep work",
            start = new { dateTime = Tomorrow.AddDays(1).ToString("O", CultureInfo.InvariantCulture), timeZone = "UTC" }, end = new { dateTime = Tomorrow.AddDays(1).AddHours(2).ToString("O", CultureInfo.InvariantCulture), timeZone = "UTC" },
            focusTimeProperties = new { autoDeclineMode = "declineNone" },
        });
        var day = DateOnly.FromDateTime(Tomorrow.UtcDateTime.AddDays(2));
        await InsertRawAsync(s, new
        {
            eventType = "workingLocation", visibility = "public", transparency = "transparent",
            start = new { date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, end = new { date = day.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
            workingLocationProperties = new { type = "homeOffice", homeOffice = new { } },
        });

        var run = await s.RunAsync();

        Assert.Equal((2, 1), (run.Created, run.Skipped));
        var copies = await Scenario.LiveEventsAsync(s.Target);
        Assert.All(copies, c => Assert.True(c.EventType is null or EventTypes.Default));
        Assert.Equal(["Away", "Deep work"], copies.Select(c => c.Summary).Order());
    }

    [Theory]
    [InlineData("Pacific/Kiritimati")]
    [InlineData("Pacific/Pago_Pago")]
    [InlineData("Asia/Kolkata")]
    public async Task Case7_all_day_events_keep_their_dates_in_a_calendar_of_any_time_zone(string targetTimeZone)
    {
        var s = await env.NewScenarioAsync(targetTimeZone: targetTimeZone);
        var day = DateOnly.FromDateTime(Tomorrow.UtcDateTime.AddDays(3));
        await Scenario.AddAsync(s.Source, new GoogleEvent { Summary = "Conference", Start = EventDateTime.AllDay(day), End = EventDateTime.AllDay(day.AddDays(2)) });

        await s.RunAsync();

        var copy = Assert.Single(await Scenario.LiveEventsAsync(s.Target, s.Sync.B.CalendarId));
        Assert.Equal((day, day.AddDays(2)), (copy.Start!.Date!.Value, copy.End!.Date!.Value));
        Assert.Null(copy.Start.DateTime);
        Assert.Equal(0, (await s.RunAsync()).Updated);
    }

    [Fact]
    public async Task Case8_moved_and_cancelled_instances_are_reflected_in_the_copies()
    {
        var s = await env.NewScenarioAsync();
        await Scenario.AddAsync(s.Source, Scenario.Timed("Weekly", Tomorrow) with { Recurrence = ["RRULE:FREQ=WEEKLY;COUNT=4"] });
        await s.RunAsync();
        var instances = (await Scenario.LiveEventsAsync(s.Source)).OrderBy(e => e.Start!.DateTime).ToList();

        await s.Source.Client.DeleteEventAsync("primary", instances[1].Id!, null, CancellationToken.None);
        var movedStart = instances[2].Start!.DateTime!.Value.AddHours(3);
        await s.Source.Client.PatchEventAsync("primary", instances[2].Id!, new EventPatch { Changes = new GoogleEvent
        {
            Start = EventDateTime.At(movedStart, "Europe/Berlin"),
            End = EventDateTime.At(movedStart.AddHours(1), "Europe/Berlin"),
        } }, null, CancellationToken.None);
        var run = await s.RunAsync();

        Assert.Equal((1, 1), (run.Updated, run.Deleted));
        var copies = await Scenario.LiveEventsAsync(s.Target);
        Assert.Equal(3, copies.Count);
        Assert.Contains(copies, c => c.Start!.DateTime == movedStart);
    }

    [Fact]
    public async Task Case9_rate_limit_bursts_slow_the_run_down_without_failing_it()
    {
        var s = await env.NewScenarioAsync();
        for (var i = 0; i < 5; i++)
        {
            await Scenario.AddAsync(s.Source, Scenario.Timed($"E{i}", Tomorrow.AddHours(i)));
        }
        await env.SetFaultsAsync(new { failNext = 3, errorStatuses = TooManyRequests, retryAfterSeconds = 1 });

        var run = await s.RunAsync();

        Assert.Equal(5, run.Created);
        Assert.Equal(5, (await Scenario.LiveEventsAsync(s.Target)).Count);
    }

    [Fact]
    public async Task Case10_a_revoked_grant_fails_the_run_clearly_and_marks_the_account()
    {
        var s = await env.NewScenarioAsync();
        await Scenario.AddAsync(s.Source, Scenario.Timed("Before revoke", Tomorrow));
        await s.RunAsync();
        using (var revoked = await env.Admin.PostAsync($"revoke?token={Uri.EscapeDataString(s.Source.RefreshToken)}", null))
        {
            revoked.EnsureSuccessStatusCode();
        }

        var error = await Assert.ThrowsAsync<ReauthRequiredException>(() => s.RunAsync());

        Assert.False(error.IsRetryable);
        var account = await env.Get<GoogleAccountStore>().GetAsync(s.Source.Account.Id, CancellationToken.None);
        Assert.True(account!.NeedsReauthorization);
    }

    private async Task InsertRawAsync(Scenario s, object body)
    {
        using var response = await env.RawAsync(s.Source, HttpMethod.Post, "calendar/v3/calendars/primary/events", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A side whose full listings come back empty, as a misbehaving server might answer.</summary>
    private sealed class EmptyListings(ICalendarSide inner) : DelegatingSide(inner)
    {
        public override async Task<EventListResult> ListAsync(EventListQuery query, CancellationToken cancellationToken) =>
            query.SyncToken is null ? new EventListing([], ((EventListing)await Inner.ListAsync(query, cancellationToken)).NextSyncToken, 1) : await Inner.ListAsync(query, cancellationToken);

    }
}
