using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalSync.Engine.Runs;
using CalSync.Testing;
using Dapper;

namespace CalSync.Drills.Tests;

/// <summary>
/// Push end to end: a change made at the emulator reaches the other calendar with no trigger but the emulator's
/// own notification to the Api, through a real worker process. No sync here has a schedule, so every run is a push run.
/// </summary>
public sealed class PushDrill(PushDrillFixture fixture) : IClassFixture<PushDrillFixture>
{
    private static readonly DateTimeOffset Tomorrow = new(TimeProvider.System.GetUtcNow().Date.AddDays(1).AddHours(9), TimeSpan.Zero);

    [Fact]
    public async Task Creates_edits_deletes_and_an_instance_edit_on_either_side_of_a_two_way_sync_arrive_by_push()
    {
        await fixture.StartWorkerAsync();
        var sync = await fixture.Google.CreateSyncAsync(fixture.Database.DataSource, "two-way");
        await WatchedAsync(sync.SourceEmail);
        await WatchedAsync(sync.TargetEmail);

        var created = await InsertAsync(sync.SourceEmail, "created at the source", Tomorrow);
        await ArrivesAsync(sync.TargetEmail, "created at the source");
        await PatchAsync(sync.SourceEmail, created, "edited at the source");
        await ArrivesAsync(sync.TargetEmail, "edited at the source");

        var fromTarget = await InsertAsync(sync.TargetEmail, "created at the target", Tomorrow.AddHours(2));
        await ArrivesAsync(sync.SourceEmail, "created at the target");
        await PatchAsync(sync.TargetEmail, fromTarget, "edited at the target");
        await ArrivesAsync(sync.SourceEmail, "edited at the target");

        var series = await InsertAsync(sync.TargetEmail, "daily at the target", Tomorrow.AddHours(4), "RRULE:FREQ=DAILY;COUNT=3");
        await Eventually.ReachesAsync(() => SummariesAsync(sync.SourceEmail), s => s.Count(x => x == "daily at the target") == 3, "the series' copies");
        var instances = JsonNode.Parse(await fixture.Google.CallAsApiAsync(sync.TargetEmail, HttpMethod.Get,
            $"calendar/v3/calendars/primary/events/{series}/instances"))!["items"]!.AsArray();
        await PatchAsync(sync.TargetEmail, instances[1]!["id"]!.GetValue<string>(), "one day moved on");
        await ArrivesAsync(sync.SourceEmail, "one day moved on");

        await fixture.Google.CallAsApiAsync(sync.SourceEmail, HttpMethod.Delete, $"calendar/v3/calendars/primary/events/{created}");
        await Eventually.ReachesAsync(() => SummariesAsync(sync.TargetEmail), s => !s.Contains("edited at the source"), "the deletion at the target");
        await fixture.Google.CallAsApiAsync(sync.TargetEmail, HttpMethod.Delete, $"calendar/v3/calendars/primary/events/{fromTarget}");
        await Eventually.ReachesAsync(() => SummariesAsync(sync.SourceEmail), s => !s.Contains("edited at the target"), "the deletion at the source");

        var runs = await fixture.RunsAsync(sync.SyncId);
        Assert.All(runs, r => Assert.Equal(RunTrigger.Push, r.Trigger));
        Assert.Equal(["daily at the target", "daily at the target", "one day moved on"], (await SummariesAsync(sync.TargetEmail)).Order());
        Assert.Equal(["daily at the target", "daily at the target", "one day moved on"], (await SummariesAsync(sync.SourceEmail)).Order());

        // Pausing the sync stops both channels at the emulator.
        await ExecuteAsync("update syncs set active = false, updated_at = now() where id = @SyncId", sync);
        await Eventually.ReachesAsync(() => fixture.ChannelStatusesAsync(sync.SourceEmail), s => s.All(x => x == "stopped"), "the source's channel stopped");
        await Eventually.ReachesAsync(() => fixture.ChannelStatusesAsync(sync.TargetEmail), s => s.All(x => x == "stopped"), "the target's channel stopped");
        Assert.Equal(1, await CallsAsync(sync.SourceEmail, "calendar.channels.stop"));
        Assert.Equal(1, await CallsAsync(sync.TargetEmail, "calendar.channels.stop"));
    }

    [Fact]
    public async Task A_burst_of_300_changes_is_carried_by_a_few_runs()
    {
        await fixture.StartWorkerAsync();
        var sync = await fixture.Google.CreateSyncAsync(fixture.Database.DataSource);
        await WatchedAsync(sync.SourceEmail);

        // A bulk edit: Google's notifications of all 300 changes come after them, one by one, however long the
        // edits themselves took here (on a loaded machine, longer than a run).
        await SetFaultsAsync(new { holdPush = true });
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, 300), new ParallelOptions { MaxDegreeOfParallelism = 16 },
                async (i, _) => await InsertAsync(sync.SourceEmail, $"burst {i:D3}", Tomorrow.AddMinutes(15 * i)));
        }
        finally
        {
            await SetFaultsAsync(new { holdPush = false });
        }
        await Eventually.ReachesAsync(() => SummariesAsync(sync.TargetEmail), s => s.Count == 300, "300 copies");
        await Invariants.AllRunsFinishAsync(fixture.Database.DataSource, [sync.SyncId]);

        // Every notification comes after every edit, so the run the first one starts copies all 300. Notifications
        // still arriving (each waits its turn on the channel; on a loaded machine that takes a while) queue one run
        // more while a run is under way, each finding nothing left: a handful, never a run per change.
        var runs = await fixture.RunsAsync(sync.SyncId);
        Assert.All(runs, r => Assert.Equal((RunTrigger.Push, RunStatus.Succeeded), r));
        var created = await CreatedPerRunAsync(sync.SyncId);
        Assert.Equal(300, created[0]);
        Assert.All(created.Skip(1), c => Assert.Equal(0, c));
        Assert.True(runs.Count <= 300 / 10, $"{runs.Count} runs for 300 changes");
    }

    private async Task<List<int>> CreatedPerRunAsync(Guid syncId)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<int>("select created from runs where sync_id = @syncId order by queued_at", new { syncId })];
    }

    /// <summary>
    /// The emulator drops a fifth of its pushes, then every push for one change: every change still arrives once,
    /// carried by the next run any later push starts (sync tokens catch up on everything since the last run).
    /// The schedule is the net under the very last change; the schedule drill shows it fires.
    /// </summary>
    [Fact]
    public async Task With_pushes_dropped_every_change_still_arrives_once_with_the_next_run()
    {
        await fixture.StartWorkerAsync();
        var sync = await fixture.Google.CreateSyncAsync(fixture.Database.DataSource);
        await WatchedAsync(sync.SourceEmail);
        try
        {
            await DropPushesAsync(0.2);
            // Four bursts of ten, each waited for in part, so runs fall between them and a burst may end on a dropped push.
            for (var burst = 0; burst < 4; burst++)
            {
                for (var i = 0; i < 10; i++)
                {
                    await InsertAsync(sync.SourceEmail, $"change {burst}-{i}", Tomorrow.AddMinutes(30 * (burst * 10 + i)));
                }
                await Eventually.ReachesAsync(() => SummariesAsync(sync.TargetEmail), s => s.Count > burst * 10, $"something of burst {burst}");
            }
            await DropPushesAsync(1.0);
            await InsertAsync(sync.SourceEmail, "never pushed", Tomorrow.AddDays(30));
            await DropPushesAsync(0);
            await InsertAsync(sync.SourceEmail, "pushed later", Tomorrow.AddDays(31));

            await Eventually.ReachesAsync(() => SummariesAsync(sync.TargetEmail), s => s.Contains("pushed later"), "the later change");
            await Invariants.AllRunsFinishAsync(fixture.Database.DataSource, [sync.SyncId]);
        }
        finally
        {
            await DropPushesAsync(0);
        }

        var expected = Enumerable.Range(0, 40).Select(n => $"change {n / 10}-{n % 10}").Append("never pushed").Append("pushed later").Order();
        Assert.Equal(expected, (await SummariesAsync(sync.TargetEmail)).Order());
        Assert.All(await fixture.RunsAsync(sync.SyncId), r => Assert.Equal(RunTrigger.Push, r.Trigger));
    }

    private Task DropPushesAsync(double rate) => SetFaultsAsync(new { dropPushRate = rate });

    private async Task SetFaultsAsync(object faults)
    {
        using var admin = new HttpClient { BaseAddress = fixture.Google.Emulator.BaseUri };
        using var body = new StringContent(JsonSerializer.Serialize(faults), System.Text.Encoding.UTF8, "application/json");
        using var answer = await admin.PutAsync("emulator/faults", body);
        answer.EnsureSuccessStatusCode();
    }

    private Task<List<string>> WatchedAsync(string email) =>
        Eventually.ReachesAsync(() => fixture.ChannelStatusesAsync(email), s => s.Contains("active"), $"a channel watching {email}");

    private async Task<string> InsertAsync(string email, string summary, DateTimeOffset start, string? rule = null)
    {
        var body = new JsonObject
        {
            ["summary"] = summary,
            ["start"] = new JsonObject { ["dateTime"] = start.ToString("O", CultureInfo.InvariantCulture), ["timeZone"] = "UTC" },
            ["end"] = new JsonObject { ["dateTime"] = start.AddMinutes(30).ToString("O", CultureInfo.InvariantCulture), ["timeZone"] = "UTC" },
        };
        if (rule is not null)
        {
            body["recurrence"] = new JsonArray(rule);
        }
        var created = await fixture.Google.CallAsApiAsync(email, HttpMethod.Post, "calendar/v3/calendars/primary/events", body.ToJsonString());
        return JsonNode.Parse(created)!["id"]!.GetValue<string>();
    }

    private Task<string> PatchAsync(string email, string eventId, string summary) =>
        fixture.Google.CallAsApiAsync(email, HttpMethod.Patch, $"calendar/v3/calendars/primary/events/{eventId}",
            JsonSerializer.Serialize(new { summary }));

    private Task<List<string>> ArrivesAsync(string email, string summary) =>
        Eventually.ReachesAsync(() => SummariesAsync(email), s => s.Contains(summary), $"'{summary}' at {email}");

    /// <summary>The summaries of the calendar's events from tomorrow on, one per instance of a series.</summary>
    private async Task<List<string>> SummariesAsync(string email)
    {
        var timeMin = Uri.EscapeDataString(Tomorrow.AddHours(-1).ToString("O", CultureInfo.InvariantCulture));
        var items = new List<string>();
        string? page = null;
        do
        {
            var json = JsonNode.Parse(await fixture.Google.CallAsApiAsync(email, HttpMethod.Get,
                $"calendar/v3/calendars/primary/events?singleEvents=true&maxResults=2500&timeMin={timeMin}" + (page is null ? "" : $"&pageToken={page}")))!;
            items.AddRange(json["items"]!.AsArray().Select(e => e!["summary"]?.GetValue<string>() ?? ""));
            page = json["nextPageToken"]?.GetValue<string>();
        }
        while (page is not null);
        return items;
    }

    private async Task<int> CallsAsync(string email, string method)
    {
        using var http = new HttpClient { BaseAddress = fixture.Google.Emulator.BaseUri };
        using var stats = JsonDocument.Parse(await http.GetStringAsync("emulator/stats"));
        return stats.RootElement.GetProperty("accounts").TryGetProperty(email, out var account)
            && account.GetProperty("byMethod").TryGetProperty(method, out var count) ? count.GetInt32() : 0;
    }

    private async Task ExecuteAsync(string sql, object parameters)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, parameters);
    }
}
