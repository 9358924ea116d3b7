using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;

namespace CalSync.Api.Tests;

/// <summary>Asking for runs over REST, reading them back, their history and their changes.</summary>
public sealed class RunRouteTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_trigger_queues_a_run_and_a_second_one_while_it_waits_returns_the_same_run()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var syncId = (await user.CreateSyncAsync()).GetProperty("id").GetGuid();

        using var first = await user.Client.PostAsync($"/api/syncs/{syncId}/runs", ApiSyncs.Json("""{ "fullResync": false, "dryRun": false }"""));
        using var second = await user.Client.PostAsync($"/api/syncs/{syncId}/runs", content: null);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var queued = await first.Content.ReadFromJsonAsync<JsonElement>();
        var runId = queued.GetProperty("runId").GetGuid();
        Assert.Equal(["runId", "status"], queued.EnumerateObject().Select(p => p.Name));
        Assert.Equal("queued", queued.GetProperty("status").GetString());
        Assert.Equal($"/api/runs/{runId}", first.Headers.Location!.OriginalString);
        Assert.Equal(runId, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid());
        Assert.Equal($"/api/runs/{runId}", second.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task An_inactive_sync_can_still_be_run_by_hand_and_a_dry_run_is_a_run_of_its_own()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var syncId = (await user.CreateSyncAsync(ApiSyncs.OneWayBody(user).With("active", false))).GetProperty("id").GetGuid();

        using var plain = await user.Client.PostAsync($"/api/syncs/{syncId}/runs", ApiSyncs.Json("{}"));
        using var dry = await user.Client.PostAsync($"/api/syncs/{syncId}/runs", ApiSyncs.Json("""{ "dryRun": true }"""));

        Assert.Equal(HttpStatusCode.Accepted, plain.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, dry.StatusCode);
        var dryRun = await user.Client.GetFromJsonAsync<JsonElement>(dry.Headers.Location!.OriginalString);
        Assert.True(dryRun.GetProperty("dryRun").GetBoolean());
        Assert.NotEqual(plain.Headers.Location, dry.Headers.Location);
    }

    [Fact]
    public async Task A_run_reads_back_in_the_design_shape()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var syncId = (await user.CreateSyncAsync()).GetProperty("id").GetGuid();
        using var trigger = await user.Client.PostAsync($"/api/syncs/{syncId}/runs", content: null);

        var run = await user.Client.GetFromJsonAsync<JsonElement>(trigger.Headers.Location!.OriginalString);

        Assert.Equal(
            ["id", "syncId", "trigger", "status", "dryRun", "created", "updated", "deleted", "skipped", "apiCalls", "error",
             "queuedAt", "startedAt", "finishedAt", "kind"],
            run.EnumerateObject().Select(p => p.Name));
        Assert.Equal(syncId, run.GetProperty("syncId").GetGuid());
        Assert.Equal(("manual", "queued", "sync"), (run.GetProperty("trigger").GetString(), run.GetProperty("status").GetString(), run.GetProperty("kind").GetString()));
        Assert.Equal(JsonValueKind.Null, run.GetProperty("startedAt").ValueKind);
        Assert.True(run.GetProperty("queuedAt").GetDateTimeOffset() > DateTimeOffset.MinValue);
    }

    [Fact]
    public async Task Run_history_is_newest_first_in_pages_linked_by_a_cursor()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var syncId = (await user.CreateSyncAsync()).GetProperty("id").GetGuid();
        var runs = await InsertFinishedRunsAsync(syncId, 5);

        using var firstPage = await user.Client.GetAsync($"/api/syncs/{syncId}/runs?limit=2");
        var first = await firstPage.Content.ReadFromJsonAsync<JsonElement>();
        var next = firstPage.Headers.GetValues("Link").Single();
        var seen = first.EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ToList();
        while (next is not null)
        {
            var url = next[(next.IndexOf('<', StringComparison.Ordinal) + 1)..next.IndexOf('>', StringComparison.Ordinal)];
            using var page = await user.Client.GetAsync(url);
            seen.AddRange((await page.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
            next = page.Headers.TryGetValues("Link", out var links) ? links.Single() : null;
        }

        Assert.Equal(2, first.GetArrayLength());
        Assert.Contains("rel=\"next\"", firstPage.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        Assert.Equal(Enumerable.Reverse(runs), seen);
        var all = await user.Client.GetFromJsonAsync<JsonElement>($"/api/syncs/{syncId}/runs");
        Assert.Equal(5, all.GetArrayLength());
        Assert.Equal("succeeded", all[0].GetProperty("status").GetString());
        Assert.Equal(3, all[0].GetProperty("created").GetInt32());
    }

    [Fact]
    public async Task Paging_limits_out_of_range_are_400s_naming_limit()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var syncId = (await user.CreateSyncAsync()).GetProperty("id").GetGuid();
        var runId = (await InsertFinishedRunsAsync(syncId, 1))[0];

        foreach (var url in new[] { $"/api/syncs/{syncId}/runs?limit=0", $"/api/syncs/{syncId}/runs?limit=101", $"/api/runs/{runId}/changes?limit=1001" })
        {
            using var response = await user.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(["limit"], await ApiSyncs.ErrorKeysAsync(response));
        }
    }

    [Fact]
    public async Task A_runs_changes_read_back_in_order_with_sides_named_source_and_target()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var syncId = (await user.CreateSyncAsync()).GetProperty("id").GetGuid();
        var runId = (await InsertFinishedRunsAsync(syncId, 1))[0];
        await using (var connection = await fixture.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                insert into run_changes (run_id, action, side, origin_event_id, copy_event_id, summary, reason, created_at)
                values (@runId, 'create', 'B', 'origin1', 'copy1', 'Standup', 'new in source', now()),
                       (@runId, 'update', 'A', 'origin2', 'copy2', null, 'edited in target', now()),
                       (@runId, 'skip', 'B', 'origin3', null, 'Birthday', 'birthday events are not copied', now())
                """,
                new { runId });
        }

        using var firstPage = await user.Client.GetAsync($"/api/runs/{runId}/changes?limit=2");
        var first = await firstPage.Content.ReadFromJsonAsync<JsonElement>();
        var url = firstPage.Headers.GetValues("Link").Single().Split('<', '>')[1];
        var rest = await user.Client.GetFromJsonAsync<JsonElement>(url);

        Assert.Equal(
            """{"action":"create","side":"target","originEventId":"origin1","copyEventId":"copy1","summary":"Standup","reason":"new in source"}""",
            first[0].GetRawText());
        Assert.Equal(("update", "source"), (first[1].GetProperty("action").GetString(), first[1].GetProperty("side").GetString()));
        Assert.Equal(JsonValueKind.Null, first[1].GetProperty("summary").ValueKind);
        Assert.Equal("skip", Assert.Single(rest.EnumerateArray()).GetProperty("action").GetString());
        var all = await user.Client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/changes");
        Assert.Equal(3, all.GetArrayLength());
    }

    [Fact]
    public async Task The_changes_cursor_counts_within_the_run_and_says_nothing_of_other_peoples_runs()
    {
        var alice = await fixture.NewUserAsync(extraAccounts: 1);
        var bob = await fixture.NewUserAsync(extraAccounts: 1);
        var aliceRun = (await InsertFinishedRunsAsync((await alice.CreateSyncAsync()).GetProperty("id").GetGuid(), 1))[0];
        var bobRun = (await InsertFinishedRunsAsync((await bob.CreateSyncAsync()).GetProperty("id").GetGuid(), 1))[0];
        // Bob's run writes its changes between Alice's.
        foreach (var (runId, count) in new[] { (bobRun, 7), (aliceRun, 2), (bobRun, 5), (aliceRun, 2) })
        {
            await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
            await connection.ExecuteAsync(
                """
                insert into run_changes (run_id, action, side, origin_event_id, copy_event_id, summary, reason, created_at)
                select @runId, 'create', 'B', 'origin' || n, 'copy' || n, null, 'new in source', now() from generate_series(1, @count) n
                """,
                new { runId, count });
        }

        var links = new List<string>();
        var read = new List<string>();
        var url = $"/api/runs/{aliceRun}/changes?limit=3";
        while (url is not null)
        {
            using var page = await alice.Client.GetAsync(url);
            read.AddRange((await page.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(c => c.GetProperty("originEventId").GetString()!));
            url = page.Headers.TryGetValues("Link", out var link) ? link.Single().Split('<', '>')[1] : null;
            links.AddRange(url is null ? [] : [url]);
        }

        Assert.Equal([$"/api/runs/{aliceRun}/changes?limit=3&after=3"], links);
        Assert.Equal(["origin1", "origin2", "origin1", "origin2"], read);
    }

    [Fact]
    public async Task A_run_of_a_sync_that_does_not_exist_is_404()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 0);

        using var trigger = await user.Client.PostAsync($"/api/syncs/{Guid.NewGuid()}/runs", content: null);
        using var history = await user.Client.GetAsync($"/api/syncs/{Guid.NewGuid()}/runs");
        using var run = await user.Client.GetAsync($"/api/runs/{Guid.NewGuid()}");
        using var changes = await user.Client.GetAsync($"/api/runs/{Guid.NewGuid()}/changes");

        Assert.All(new[] { trigger, history, run, changes }, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
    }

    /// <summary>Finished runs queued a minute apart, oldest first (a worker would have written them).</summary>
    private async Task<List<Guid>> InsertFinishedRunsAsync(Guid syncId, int count)
    {
        var ids = new List<Guid>();
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid();
            await connection.ExecuteAsync(
                """
                insert into runs (id, sync_id, trigger, status, created, queued_at, started_at, finished_at)
                values (@id, @syncId, 'schedule', 'succeeded', 3, @at, @at, @at)
                """,
                new { id, syncId, at = new DateTimeOffset(2026, 1, 1, 0, i, 0, TimeSpan.Zero) });
            ids.Add(id);
        }
        return ids;
    }
}
