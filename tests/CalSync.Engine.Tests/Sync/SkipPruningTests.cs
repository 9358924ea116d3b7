using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CalSync.Engine.Tests.Sync;

/// <summary>
/// Remembered skips do not pile up: an origin a rule skipped is forgotten once it ended before the window, even
/// though no run reads it again.
/// </summary>
public sealed class SkipPruningTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>
{
    private static readonly DateTimeOffset Today = new(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);

    private static Scenario Excluding(Scenario s, string keyword) => s with
    {
        Sync = s.Sync with { AToB = new CopyStyle { Filter = CopyFilter.Default with { Exclude = [keyword] } } },
    };

    private async Task<List<string>> RememberedSkipsAsync(Guid syncId)
    {
        await using var connection = await env.Database.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<string>(
            "select event_id from skipped_origins where sync_id = @syncId order by event_id", new { syncId })];
    }

    [Fact]
    public async Task A_skipped_origin_that_ended_before_the_window_is_forgotten_without_being_read_again()
    {
        var s = Excluding(await env.NewScenarioAsync(), "private");
        var timed = await Scenario.AddAsync(s.Source, Scenario.Timed("Private: dentist", Today.AddDays(1).AddHours(9)));
        var allDay = await Scenario.AddAsync(s.Source, new GoogleEvent
        {
            Summary = "Private: moving day",
            Start = new EventDateTime { Date = DateOnly.FromDateTime(Today.AddDays(2).UtcDateTime) },
            End = new EventDateTime { Date = DateOnly.FromDateTime(Today.AddDays(3).UtcDateTime) },
        });
        var later = await Scenario.AddAsync(s.Source, Scenario.Timed("Private: holiday", Today.AddDays(20).AddHours(9)));
        var clock = new FakeTimeProvider(Today.AddHours(12));
        var runner = env.RunnerAt(clock);

        var first = await s.RunAsync(runner: runner);
        Assert.Equal(3, first.Skipped);
        Assert.Equal(new[] { timed.Id!, allDay.Id!, later.Id! }.Order(StringComparer.Ordinal), await RememberedSkipsAsync(s.Sync.Id));

        // Day 3: the dentist ended (window starts at today's midnight, past days 0); the all-day event's last day
        // is today, so in some zone it has not ended yet.
        clock.Advance(TimeSpan.FromDays(3));
        await env.ResetStatsAsync();
        var onDay3 = await s.RunAsync(runner: runner);

        Assert.Empty(onDay3.Changes);
        Assert.Equal(new[] { allDay.Id!, later.Id! }.Order(StringComparer.Ordinal), await RememberedSkipsAsync(s.Sync.Id));
        // Forgotten from what the listing returned, not by fetching the ended origin.
        Assert.DoesNotContain("calendar.events.get", (await env.CallsAsync(s.Source.Email)).Keys);

        clock.Advance(TimeSpan.FromDays(1));
        var onDay4 = await s.RunAsync(runner: runner);

        Assert.Empty(onDay4.Changes);
        Assert.Equal([later.Id!], await RememberedSkipsAsync(s.Sync.Id));
    }

    [Fact]
    public async Task A_skip_remembered_without_its_end_is_forgotten_once_it_is_older_than_the_window()
    {
        var s = Excluding(await env.NewScenarioAsync(), "private");
        var seen = await Scenario.AddAsync(s.Source, Scenario.Timed("Private: holiday", Today.AddDays(20).AddHours(9)));
        var clock = new FakeTimeProvider(Today.AddHours(12));
        // Rows as they were kept before skips remembered their origin's end: one remembered before the window's start
        // (yesterday, the window keeping no past days), one remembered today.
        await using (var connection = await env.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                insert into skipped_origins (sync_id, side, event_id, fingerprint, updated_at)
                values (@syncId, 'A', 'old', 'f', @yesterday), (@syncId, 'A', 'recent', 'f', @today)
                """,
                new { syncId = s.Sync.Id, yesterday = Today.AddHours(-1), today = Today.AddHours(1) });
        }

        await s.RunAsync(runner: env.RunnerAt(clock));

        Assert.Equal(new[] { "recent", seen.Id! }.Order(StringComparer.Ordinal), await RememberedSkipsAsync(s.Sync.Id));
    }
}
