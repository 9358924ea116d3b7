using CalSync.Engine.Runs;
using CalSync.Testing;
using Dapper;

namespace CalSync.Drills.Tests;

/// <summary>
/// Three workers form one Quartz cluster. A per-minute cron fires exactly once a minute for several
/// minutes, and a schedule changed in the syncs table is honoured without a restart.
/// </summary>
public sealed class ScheduleDrill(DrillFixture fixture) : IClassFixture<DrillFixture>
{
    [Fact]
    public async Task A_per_minute_cron_fires_once_a_minute_across_three_workers_and_follows_a_change()
    {
        var everyMinute = await ScheduledSyncAsync("* * * * *");
        var changed = await ScheduledSyncAsync("0 0 1 1 *"); // New Year only, until changed below.
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        for (var i = 0; i < 3; i++)
        {
            await fixture.StartWorkerAsync();
        }

        // Wait for the first fire, then change the second sync's cron to every minute too.
        var firstMinute = await Eventually.ReachesAsync(() => MinutesAsync(everyMinute), m => m.Count >= 1, "the first fire", TimeSpan.FromMinutes(2));
        await connection.ExecuteAsync("update syncs set cron = '* * * * *', updated_at = now() where id = @changed", new { changed });

        var minutes = await Eventually.ReachesAsync(() => MinutesAsync(everyMinute), m => m.Count >= 3, "three minutes of fires", TimeSpan.FromMinutes(5));
        var changedMinutes = await Eventually.ReachesAsync(() => MinutesAsync(changed), m => m.Count >= 2, "fires after the change", TimeSpan.FromMinutes(2));

        // Exactly one run per minute, in consecutive minutes (the first minute may be partial: no double fire either way).
        Assert.All(minutes, m => Assert.Equal(1, m.Runs));
        Assert.All(changedMinutes, m => Assert.Equal(1, m.Runs));
        var ordered = minutes.Select(m => m.Minute).Order().ToList();
        Assert.All(ordered.Zip(ordered.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(1), pair.Second - pair.First));
        Assert.True(changedMinutes.Min(m => m.Minute) > firstMinute[0].Minute, "the changed schedule fired before the change");
        await Invariants.AllRunsFinishAsync(fixture.Database.DataSource, [everyMinute, changed]);
    }

    private async Task<Guid> ScheduledSyncAsync(string cron)
    {
        var syncId = (await fixture.Google.CreateSyncAsync(fixture.Database.DataSource)).SyncId;
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("update syncs set cron = @cron, time_zone = 'Europe/Berlin' where id = @syncId", new { cron, syncId });
        return syncId;
    }

    private async Task<List<MinuteCount>> MinutesAsync(Guid syncId)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<MinuteCount>(
            """
            select date_trunc('minute', queued_at) as Minute, count(*)::int as Runs
            from runs where sync_id = @syncId and trigger = @trigger
            group by 1 order by 1
            """, new { syncId, trigger = RunTrigger.Schedule })];
    }

    private sealed record MinuteCount
    {
        public DateTimeOffset Minute { get; init; }
        public int Runs { get; init; }
    }
}
