using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;

namespace CalSync.Engine.Tests.Sync;

/// <summary>A change of a sync's settings reaches every existing copy on the next run, and only the copies it changes.</summary>
public sealed class SettingsChangeTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>, IAsyncLifetime
{
    private static readonly DateTimeOffset Today = new(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);

    public Task InitializeAsync() => env.ResetFaultsAsync();

    public Task DisposeAsync() => env.ResetFaultsAsync();

    [Fact]
    public async Task Turning_privacy_on_re_renders_every_existing_copy_and_a_dry_run_shows_it_first()
    {
        var s = await env.NewScenarioAsync();
        for (var i = 0; i < 3; i++)
        {
            await Scenario.AddAsync(s.Source, Scenario.Timed($"Secret {i}", Today.AddDays(i + 1).AddHours(9)) with
            {
                Description = "agenda", Location = "Room 4", ColorId = "5",
            });
        }
        await s.RunAsync();
        var before = await Scenario.LiveEventsAsync(s.Target);
        var privately = s with { Sync = s.Sync with { AToB = new CopyStyle(Privacy: true, Placeholder: "Blocked") } };

        var dry = await privately.RunAsync(new RunFlags(DryRun: true));
        Assert.Equal(3, dry.Updated);
        Assert.Equal(before.Select(e => e.Etag).Order(), (await Scenario.LiveEventsAsync(s.Target)).Select(e => e.Etag).Order());

        var run = await privately.RunAsync();

        Assert.Equal((0, 3, 0), (run.Created, run.Updated, run.Deleted));
        var copies = await Scenario.LiveEventsAsync(s.Target);
        Assert.Equal(3, copies.Count);
        Assert.All(copies, c =>
        {
            Assert.Equal("Blocked", c.Summary);
            Assert.True(string.IsNullOrEmpty(c.Description));
            Assert.True(string.IsNullOrEmpty(c.Location));
            Assert.Equal("private", c.Visibility);
            Assert.Null(c.ColorId); // The sync sets no colour: a private copy does not show the origin's.
        });
        var again = await privately.RunAsync();
        Assert.Equal((0, 0, 0), (again.Created, again.Updated, again.Deleted));
    }

    [Fact]
    public async Task Changing_one_directions_style_updates_only_the_copies_in_that_direction()
    {
        var s = await env.NewScenarioAsync(SyncDirection.TwoWay);
        await Scenario.AddAsync(s.Source, Scenario.Timed("From A 1", Today.AddDays(1).AddHours(9)));
        await Scenario.AddAsync(s.Source, Scenario.Timed("From A 2", Today.AddDays(2).AddHours(9)));
        await Scenario.AddAsync(s.Target, Scenario.Timed("From B", Today.AddDays(3).AddHours(9)));
        await s.RunAsync();
        var copiesOnB = (await Scenario.LiveEventsAsync(s.Target)).Where(e => e.Summary!.StartsWith("From A", StringComparison.Ordinal)).ToList();
        var coloured = s with { Sync = s.Sync with { BToA = new CopyStyle(ColorId: "9") } };

        var run = await coloured.RunAsync();

        Assert.Equal(1, run.Updated);
        var copyOnA = Assert.Single(await Scenario.LiveEventsAsync(s.Source), e => e.Summary == "From B");
        Assert.Equal("9", copyOnA.ColorId);
        // The copies the other direction made were not written.
        Assert.Equal(
            copiesOnB.Select(e => e.Etag).Order(),
            (await Scenario.LiveEventsAsync(s.Target)).Where(e => e.Summary!.StartsWith("From A", StringComparison.Ordinal)).Select(e => e.Etag).Order());
    }

    [Fact]
    public async Task A_larger_past_days_copies_what_is_newly_inside_the_window()
    {
        var s = await env.NewScenarioAsync();
        await Scenario.AddAsync(s.Source, Scenario.Timed("Last week", Today.AddDays(-5).AddHours(9)));
        await Scenario.AddAsync(s.Source, Scenario.Timed("Tomorrow", Today.AddDays(1).AddHours(9)));
        Assert.Equal(1, (await s.RunAsync()).Created);
        await s.RunAsync(); // A run with sync tokens: the window's start is remembered.

        var wider = s with { Sync = s.Sync with { PastDays = 10 } };
        var run = await wider.RunAsync();

        Assert.Equal(1, run.Created);
        Assert.Equal(["Last week", "Tomorrow"], (await Scenario.LiveEventsAsync(s.Target)).Select(e => e.Summary).Order());
    }

    [Fact]
    public async Task A_larger_future_days_copies_what_is_newly_inside_the_window()
    {
        var s = await env.NewScenarioAsync();
        var narrow = s with { Sync = s.Sync with { FutureDays = 30 } };
        await Scenario.AddAsync(s.Source, Scenario.Timed("Soon", Today.AddDays(10).AddHours(9)));
        await Scenario.AddAsync(s.Source, Scenario.Timed("Later", Today.AddDays(60).AddHours(9)));
        Assert.Equal(1, (await narrow.RunAsync()).Created);

        var run = await (narrow with { Sync = narrow.Sync with { FutureDays = 90 } }).RunAsync();

        Assert.Equal(1, run.Created);
        Assert.Equal(["Later", "Soon"], (await Scenario.LiveEventsAsync(s.Target)).Select(e => e.Summary).Order());
    }

    [Fact]
    public async Task A_smaller_future_days_removes_the_copies_beyond_the_new_end_and_counts_them()
    {
        var s = await env.NewScenarioAsync();
        await Scenario.AddAsync(s.Source, Scenario.Timed("Soon", Today.AddDays(10).AddHours(9)));
        await Scenario.AddAsync(s.Source, Scenario.Timed("Later", Today.AddDays(60).AddHours(9)));
        // Overlapping the new end: inside, so kept.
        await Scenario.AddAsync(s.Source, new GoogleEvent
        {
            Summary = "Across the edge",
            Start = EventDateTime.At(Today.AddDays(30).AddHours(12), "UTC"),
            End = EventDateTime.At(Today.AddDays(32).AddHours(12), "UTC"),
        });
        Assert.Equal(3, (await s.RunAsync()).Created);
        await s.RunAsync();

        var run = await (s with { Sync = s.Sync with { FutureDays = 30 } }).RunAsync();

        Assert.Equal((0, 1), (run.Created, run.Deleted));
        Assert.Contains(run.Changes, c => c.Action == RunChange.Delete && c.Summary == "Later");
        Assert.Equal(["Across the edge", "Soon"], (await Scenario.LiveEventsAsync(s.Target)).Select(e => e.Summary).Order());
        Assert.Equal(3, (await Scenario.LiveEventsAsync(s.Source)).Count); // Origins are never touched.
    }

    [Fact]
    public async Task A_smaller_future_days_that_would_remove_most_copies_waits_for_confirmation()
    {
        var s = await env.NewScenarioAsync();
        await Scenario.AddAsync(s.Source, Scenario.Timed("Soon", Today.AddDays(2).AddHours(9)));
        for (var i = 0; i < 12; i++)
        {
            await Scenario.AddAsync(s.Source, Scenario.Timed($"Later {i}", Today.AddDays(40 + i).AddHours(9)));
        }
        await s.RunAsync();
        var narrower = s with { Sync = s.Sync with { FutureDays = 30 } };

        var stopped = await narrower.RunAsync();

        Assert.True(stopped.NeedsConfirmation);
        Assert.Equal(13, (await Scenario.LiveEventsAsync(s.Target)).Count);
        var confirmed = await narrower.RunAsync(new RunFlags(ConfirmDeletes: true));
        Assert.Equal(12, confirmed.Deleted);
        Assert.Equal(["Soon"], (await Scenario.LiveEventsAsync(s.Target)).Select(e => e.Summary));
    }
}
