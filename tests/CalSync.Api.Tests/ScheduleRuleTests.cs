using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace CalSync.Api.Tests;

/// <summary>Schedules fire no more often than the minimum interval, and a sync says whether its schedule runs.</summary>
public sealed class ScheduleRuleTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("* * * * *")]
    [InlineData("*/2 * * * *")]
    [InlineData("*/4 * * * *")]
    [InlineData("0,3 9 * * *")]
    [InlineData("0-10 9 * * 1")]
    public async Task A_cron_that_fires_more_often_than_every_5_minutes_is_a_400_naming_schedule_cron(string cron)
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var sync = await user.CreateSyncAsync();
        var before = await fixture.CountAsync();

        using var created = await user.Client.PostSyncAsync(ApiSyncs.OneWayBody(user).With("schedule", Schedule(cron)));
        using var patched = await user.Client.PatchSyncAsync(sync.GetProperty("id").GetGuid(), new JsonObject { ["schedule"] = Schedule(cron) }.ToJsonString());

        foreach (var response in new[] { created, patched })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(["schedule.cron"], await ApiSyncs.ErrorKeysAsync(response));
        }
        Assert.Equal(before, await fixture.CountAsync());
    }

    [Theory]
    [InlineData("*/5 * * * *")]
    [InlineData("0,5 9 * * *")]
    [InlineData("0 9 * * 1-5")]
    [InlineData("@hourly")]
    public async Task A_cron_that_fires_at_most_every_5_minutes_is_accepted(string cron)
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);

        var sync = await user.CreateSyncAsync(ApiSyncs.OneWayBody(user).With("schedule", Schedule(cron)));

        Assert.Equal(cron, sync.GetProperty("schedule").GetProperty("cron").GetString());
    }

    [Fact]
    public async Task The_minimum_interval_is_configurable()
    {
        await using var api = fixture.Api.WithWebHostBuilder(web => web.UseSetting("Schedules:MinimumInterval", "01:00:00"));
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = user.Client.DefaultRequestHeaders.Authorization;

        using var halfHourly = await client.PostSyncAsync(ApiSyncs.OneWayBody(user).With("schedule", Schedule("*/30 * * * *")));
        using var hourly = await client.PostSyncAsync(ApiSyncs.OneWayBody(user).With("schedule", Schedule("0 * * * *")));

        Assert.Equal(HttpStatusCode.BadRequest, halfHourly.StatusCode);
        Assert.Contains("1 h", await halfHourly.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, hourly.StatusCode);
    }

    [Fact]
    public async Task A_sync_says_whether_its_schedule_runs_and_that_it_waits_for_an_account_to_be_reconnected()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var unscheduled = await user.CreateSyncAsync();
        var inactive = await user.CreateSyncAsync(ApiSyncs.OneWayBody(user, "inactive").With("schedule", Schedule("0 9 * * *")).With("active", false));
        var scheduled = await user.CreateSyncAsync(ApiSyncs.OneWayBody(user, "scheduled").With("schedule", Schedule("0 9 * * *")));

        Assert.Equal("none", unscheduled.GetProperty("scheduleStatus").GetString());
        Assert.Equal("inactive", inactive.GetProperty("scheduleStatus").GetString());
        Assert.Equal("scheduled", scheduled.GetProperty("scheduleStatus").GetString());

        await using (var connection = await fixture.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update google_accounts set status = 'reauth_required' where id = @id", new { id = user.Accounts[1].Id });
        }
        var id = scheduled.GetProperty("id").GetGuid();
        var read = await user.Client.GetFromJsonAsync<JsonElement>($"/api/syncs/{id}");
        var listed = (await user.Client.GetFromJsonAsync<JsonElement>("/api/syncs")).EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == id);

        Assert.Equal("paused: account needs reconnecting", read.GetProperty("scheduleStatus").GetString());
        Assert.Equal("paused: account needs reconnecting", listed.GetProperty("scheduleStatus").GetString());
    }

    private static JsonObject Schedule(string cron) => new() { ["cron"] = cron, ["timeZone"] = "Europe/Berlin" };
}
