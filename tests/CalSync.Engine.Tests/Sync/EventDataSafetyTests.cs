using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;
using Dapper;

namespace CalSync.Engine.Tests.Sync;

/// <summary>What is in an event (its properties, its text, how Google pages it) can neither steer a run nor break it.</summary>
public sealed class EventDataSafetyTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>, IAsyncLifetime
{
    private static readonly DateTimeOffset Tomorrow = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(9);

    public Task InitializeAsync() => env.ResetFaultsAsync();

    public Task DisposeAsync() => env.ResetFaultsAsync();

    [Theory]
    [InlineData(Side.A)]
    [InlineData(Side.B)]
    public async Task An_event_carrying_a_planted_copy_marker_is_never_treated_as_a_copy(Side plantedOn)
    {
        var s = await env.NewScenarioAsync(SyncDirection.TwoWay);
        // The victim's origin lives on the other side than the impostor; its copy beside the impostor.
        var victimOwner = plantedOn == Side.A ? s.Target : s.Source;
        var attacker = plantedOn == Side.A ? s.Source : s.Target;
        var victim = await Scenario.AddAsync(victimOwner, Scenario.Timed("Board meeting", Tomorrow));
        await s.RunAsync();
        var copyBefore = Assert.Single(await Scenario.LiveEventsAsync(attacker));

        // Anyone who can write to the calendar can read the marker off the copy and plant it on their own event.
        var impostor = await Scenario.AddAsync(attacker, Scenario.Timed("Planted", Tomorrow.AddHours(3)) with
        {
            ExtendedProperties = copyBefore.ExtendedProperties,
        });
        await s.RunAsync();
        await attacker.Client.PatchEventAsync("primary", impostor.Id!, new EventPatch { Changes = new GoogleEvent { Summary = "Planted, edited" } }, null, CancellationToken.None);
        await s.RunAsync();
        await attacker.Client.DeleteEventAsync("primary", impostor.Id!, null, CancellationToken.None);
        var last = await s.RunAsync();
        await s.RunAsync(new RunFlags(FullResync: true));

        var origin = Assert.Single(await Scenario.LiveEventsAsync(victimOwner));
        Assert.Equal((victim.Id, victim.Etag, "Board meeting"), (origin.Id, origin.Etag, origin.Summary));
        var copy = Assert.Single(await Scenario.LiveEventsAsync(attacker));
        Assert.Equal((copyBefore.Id, copyBefore.Etag), (copy.Id, copy.Etag));
        Assert.Equal(0, last.Deleted);
        await using var connection = await env.Database.DataSource.OpenConnectionAsync();
        var links = (await connection.QueryAsync<string>(
            "select a_event_id || '/' || b_event_id from event_links where sync_id = @Id", new { s.Sync.Id })).ToList();
        var expected = plantedOn == Side.A ? $"{copyBefore.Id}/{victim.Id}" : $"{victim.Id}/{copyBefore.Id}";
        Assert.Equal([expected], links);
    }

    [Fact]
    public async Task A_listing_that_returns_an_event_twice_does_not_fail_and_the_later_one_wins()
    {
        var s = await env.NewScenarioAsync();
        await Scenario.AddAsync(s.Source, Scenario.Timed("Original", Tomorrow));

        var run = await s.RunAsync(a: new RepeatingListings(s.A));

        Assert.Equal(1, run.Created);
        Assert.Equal("Original, later", Assert.Single(await Scenario.LiveEventsAsync(s.Target)).Summary);
    }

    [Theory]
    [InlineData("Null \u0000 inside")]
    [InlineData("Bell \u0007 and escape \u001b")]
    [InlineData("\u0000")]
    public async Task Control_characters_in_an_events_text_never_fail_a_run(string hostile)
    {
        var s = await env.NewScenarioAsync(SyncDirection.TwoWay);
        var origin = await Scenario.AddAsync(s.Source, Scenario.Timed(hostile, Tomorrow) with { Description = hostile, Location = hostile });

        var first = await s.RunAsync();
        await s.Source.Client.PatchEventAsync("primary", origin.Id!, new EventPatch { Changes = new GoogleEvent { Description = hostile + hostile } }, null, CancellationToken.None);
        var second = await s.RunAsync();

        Assert.Equal((1, 1), (first.Created, second.Updated));
        var copy = Assert.Single(await Scenario.LiveEventsAsync(s.Target));
        Assert.Equal((hostile, hostile + hostile), (copy.Summary, copy.Description)); // Copies keep Google's text.
        await using var connection = await env.Database.DataSource.OpenConnectionAsync();
        var stored = (await connection.QueryAsync<string>(
            "select c.summary from run_changes c join runs r on r.id = c.run_id where r.sync_id = @Id", new { s.Sync.Id })).ToList();
        Assert.Equal(2, stored.Count);
        Assert.All(stored, summary => Assert.DoesNotContain('\u0000', summary));
    }

    /// <summary>A side whose listings return their first event a second time, changed, as paging during an edit can.</summary>
    private sealed class RepeatingListings(ICalendarSide inner) : DelegatingSide(inner)
    {
        public override async Task<EventListResult> ListAsync(EventListQuery query, CancellationToken cancellationToken) =>
            await Inner.ListAsync(query, cancellationToken) switch
            {
                EventListing { Events: [var first, ..] } listing => listing with { Events = [.. listing.Events, first with { Summary = first.Summary + ", later" }] },
                var other => other,
            };

    }
}
