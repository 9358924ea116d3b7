using CalSync.Engine.Sync;
using CalSync.Testing;
using CalSync.Worker.Schedules;
using Dapper;

namespace CalSync.Worker.Tests;

/// <summary>Syncs' cron schedules become Quartz triggers, and follow the syncs table without a restart.</summary>
public sealed class ScheduleTests(WorkerFixture fixture) : IClassFixture<WorkerFixture>
{
    [Theory]
    [InlineData("0 9 * * 1-5", "2026-11-22T00:00:00Z", "2026-11-23T09:00:00Z")] // Sunday → Monday 09:00
    [InlineData("30 18 * * 0", "2026-11-23T00:00:00Z", "2026-11-29T18:30:00Z")] // 0 = Sunday
    [InlineData("30 18 * * 7", "2026-11-23T00:00:00Z", "2026-11-29T18:30:00Z")] // 7 = Sunday too
    [InlineData("*/15 * * * *", "2026-11-23T10:07:00Z", "2026-11-23T10:15:00Z")]
    [InlineData("0 0 1 * *", "2026-11-23T10:07:00Z", "2026-12-01T00:00:00Z")]
    public void Parse_FiveFieldCron_FiresAtUnixCronTimes(string cron, string after, string expected)
    {
        var next = SyncScheduleTriggers.Parse(cron, "UTC").GetNextValidTimeAfter(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void Parse_TimeZone_FiresAtLocalTime()
    {
        // 09:00 in Berlin is 08:00 UTC in winter.
        var next = SyncScheduleTriggers.Parse("0 9 * * *", "Europe/Berlin").GetNextValidTimeAfter(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero), next);
    }

    [Theory]
    [InlineData("61 * * * *", "UTC")]
    [InlineData("not a cron", "UTC")]
    [InlineData("0 9 * * *", "Mars/Olympus")]
    public void IsValid_BadCronOrZone_IsRejected(string cron, string timeZone)
    {
        Assert.False(SyncScheduleTriggers.IsValid(new SyncSchedule(Guid.NewGuid(), cron, timeZone), out var problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public async Task Creating_changing_pausing_and_deleting_a_schedule_apply_without_a_restart()
    {
        var syncId = await fixture.CreateSyncAsync();
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Task<string?> TriggerCronAsync() => connection.QuerySingleOrDefaultAsync<string?>(
            "select c.cron_expression from qrtz_cron_triggers c where c.trigger_name = @name and c.trigger_group = @group",
            new { name = syncId.ToString(), group = SyncScheduleTriggers.Group });
        Task SetAsync(string sql) => connection.ExecuteAsync(sql, new { syncId });

        await SetAsync("update syncs set cron = '0 9 * * 1-5', time_zone = 'Europe/Berlin', updated_at = now() where id = @syncId");
        var created = await Eventually.ReachesAsync(TriggerCronAsync, c => c is not null, "the trigger to be created");

        await SetAsync("update syncs set cron = '30 18 * * *', updated_at = now() where id = @syncId");
        var changed = await Eventually.ReachesAsync(TriggerCronAsync, c => c != created, "the trigger to change");

        await SetAsync("update syncs set active = false, updated_at = now() where id = @syncId");
        await Eventually.ReachesAsync(TriggerCronAsync, c => c is null, "the trigger to go when the sync is paused");

        await SetAsync("update syncs set active = true, updated_at = now() where id = @syncId");
        await Eventually.ReachesAsync(TriggerCronAsync, c => c is not null, "the trigger to return");
        await SetAsync("delete from syncs where id = @syncId");
        await Eventually.ReachesAsync(TriggerCronAsync, c => c is null, "the trigger to go when the sync is deleted");
        Assert.NotEqual(created, changed);
    }

    [Fact]
    public async Task A_sync_whose_account_needs_reconnecting_is_not_scheduled_until_it_is_reconnected()
    {
        var syncId = await fixture.CreateSyncAsync();
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Task<string?> TriggerCronAsync() => connection.QuerySingleOrDefaultAsync<string?>(
            "select c.cron_expression from qrtz_cron_triggers c where c.trigger_name = @name and c.trigger_group = @group",
            new { name = syncId.ToString(), group = SyncScheduleTriggers.Group });
        Task SetAccountAsync(string side, string status) => connection.ExecuteAsync(
            $"update google_accounts set status = @status where id = (select {side}_account_id from syncs where id = @syncId)", new { syncId, status });

        await connection.ExecuteAsync("update syncs set cron = '0 9 * * *', time_zone = 'UTC', updated_at = now() where id = @syncId", new { syncId });
        await Eventually.ReachesAsync(TriggerCronAsync, c => c is not null, "the trigger to be created");

        await SetAccountAsync("b", "reauth_required");
        await Eventually.ReachesAsync(TriggerCronAsync, c => c is null, "the trigger to go while the target account needs reconnecting");
        await SetAccountAsync("b", "active");
        await Eventually.ReachesAsync(TriggerCronAsync, c => c is not null, "the trigger to return once it is reconnected");
        await SetAccountAsync("a", "reauth_required");
        await Eventually.ReachesAsync(TriggerCronAsync, c => c is null, "the trigger to go while the source account needs reconnecting");
    }
}
