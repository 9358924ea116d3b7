using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;
using CalSync.Engine.Tests.Sync;

namespace CalSync.Engine.Tests.Push;

/// <summary>
/// A push run told which calendar changed lists only that one: the other calendar's sync token stays where it
/// was, so what changed there is still read by the next run that lists it. A calendar that needs a full listing
/// is listed whatever the run was told.
/// </summary>
public sealed class NotifiedSideReadTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>
{
    private const string List = "calendar.events.list";

    private static readonly DateTimeOffset Tomorrow = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(9);

    [Fact]
    public async Task A_run_notified_of_one_calendar_lists_only_it_and_the_other_calendars_changes_wait_for_its_listing()
    {
        var s = await env.NewScenarioAsync(SyncDirection.TwoWay);
        var origin = await Scenario.AddAsync(s.Source, Scenario.Timed("At A", Tomorrow));
        await s.RunAsync();
        await Scenario.AddAsync(s.Target, Scenario.Timed("At B, not notified yet", Tomorrow.AddHours(2)));
        await s.Source.Client.PatchEventAsync("primary", origin.Id!, new EventPatch { Changes = new GoogleEvent { Summary = "Renamed at A" } }, null, CancellationToken.None);
        await env.ResetStatsAsync();

        await s.RunAsync(new RunFlags(Notified: new HashSet<Side> { Side.A }));

        Assert.Equal(1, (await env.CallsAsync(s.Source.Email)).GetValueOrDefault(List));
        Assert.Equal(0, (await env.CallsAsync(s.Target.Email)).GetValueOrDefault(List));
        Assert.Contains("Renamed at A", (await Scenario.LiveEventsAsync(s.Target)).Select(e => e.Summary));
        Assert.DoesNotContain("At B, not notified yet", (await Scenario.LiveEventsAsync(s.Source)).Select(e => e.Summary));

        await s.RunAsync(new RunFlags(Notified: new HashSet<Side> { Side.B }));

        Assert.Equal(["At B, not notified yet", "Renamed at A"], (await Scenario.LiveEventsAsync(s.Source)).Select(e => e.Summary).Order());
        Assert.Equal(["At B, not notified yet", "Renamed at A"], (await Scenario.LiveEventsAsync(s.Target)).Select(e => e.Summary).Order());
    }

    [Fact]
    public async Task A_calendar_never_listed_is_listed_even_when_only_the_other_was_notified()
    {
        var s = await env.NewScenarioAsync(SyncDirection.TwoWay);
        await Scenario.AddAsync(s.Target, Scenario.Timed("At B before the first run", Tomorrow));

        await s.RunAsync(new RunFlags(Notified: new HashSet<Side> { Side.A }));

        Assert.Contains("At B before the first run", (await Scenario.LiveEventsAsync(s.Source)).Select(e => e.Summary));
    }

    [Fact]
    public async Task A_full_resync_lists_both_calendars_whatever_was_notified()
    {
        var s = await env.NewScenarioAsync(SyncDirection.TwoWay);
        await s.RunAsync();
        await Scenario.AddAsync(s.Target, Scenario.Timed("At B", Tomorrow));
        await env.ResetStatsAsync();

        await s.RunAsync(new RunFlags(FullResync: true, Notified: new HashSet<Side> { Side.A }));

        Assert.True((await env.CallsAsync(s.Target.Email)).GetValueOrDefault(List) >= 1);
        Assert.Contains("At B", (await Scenario.LiveEventsAsync(s.Source)).Select(e => e.Summary));
    }
}
