using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;
using Microsoft.Extensions.Time.Testing;

namespace CalSync.Engine.Tests.Sync;

/// <summary>A sync's cost does not grow with its age: links of events that ended before the window are retired.</summary>
public sealed class LinkRetirementTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>
{
    [Fact]
    public async Task A_daily_series_edited_on_day_400_costs_the_same_Google_calls_as_on_day_10()
    {
        var s = await env.NewScenarioAsync();
        var realToday = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var day0 = realToday.AddDays(-410);
        var series = await Scenario.AddAsync(s.Source, new GoogleEvent
        {
            Summary = "Stand-up",
            Start = EventDateTime.At(day0.AddHours(9), "UTC"),
            End = EventDateTime.At(day0.AddHours(9).AddMinutes(15), "UTC"),
            Recurrence = ["RRULE:FREQ=DAILY"],
        });
        var clock = new FakeTimeProvider(day0.AddDays(10).AddHours(12));
        var runner = env.RunnerAt(clock);
        await s.RunAsync(runner: runner);

        var onDay10 = await CallsForAnEditAsync(s, runner, series.Id!, "Stand-up (day 10)");
        // Days go by, a month at a time; each run copies the days that entered the window.
        while (clock.GetUtcNow() < day0.AddDays(400))
        {
            clock.Advance(TimeSpan.FromDays(30));
            await s.RunAsync(runner: runner);
        }
        clock.SetUtcNow(day0.AddDays(400).AddHours(12));
        await s.RunAsync(runner: runner);
        var onDay400 = await CallsForAnEditAsync(s, runner, series.Id!, "Stand-up (day 400)");

        Assert.Equal(onDay10.Calls, onDay400.Calls);
        Assert.Equal(onDay10.Run.Updated, onDay400.Run.Updated);
    }

    private async Task<(int Calls, SyncOutcome Run)> CallsForAnEditAsync(Scenario s, SyncRunner runner, string seriesId, string summary)
    {
        await s.Source.Client.PatchEventAsync("primary", seriesId, new EventPatch { Changes = new GoogleEvent { Summary = summary } }, null, CancellationToken.None);
        await env.ResetStatsAsync();
        var run = await s.RunAsync(runner: runner);
        var calls = (await env.CallsAsync(s.Source.Email)).Values.Sum() + (await env.CallsAsync(s.Target.Email)).Values.Sum();
        return (calls, run);
    }
}
