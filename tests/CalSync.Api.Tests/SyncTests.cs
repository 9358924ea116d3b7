using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace CalSync.Api.Tests;

/// <summary>Creating, reading, changing and deleting syncs between a person's accounts.</summary>
public sealed class SyncTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_one_way_sync_is_created_with_the_defaults_and_primary_resolved()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);

        using var response = await user.Client.PostSyncAsync(ApiSyncs.OneWayBody(user));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sync = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = sync.GetProperty("id").GetGuid();
        Assert.Equal($"/api/syncs/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(
            ["id", "name", "source", "target", "direction", "pastDays", "futureDays", "copyToTarget", "copyToSource",
             "conflictPolicy", "schedule", "active", "scheduleStatus", "createdAt", "updatedAt", "push"],
            sync.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Work to personal", sync.GetProperty("name").GetString());
        Assert.Equal(user.Accounts[0].Id, sync.GetProperty("source").GetProperty("accountId").GetGuid());
        Assert.Equal(user.Accounts[0].Email, sync.GetProperty("source").GetProperty("calendarId").GetString());
        Assert.Equal(user.Accounts[1].Email, sync.GetProperty("target").GetProperty("calendarId").GetString());
        Assert.Equal("one-way", sync.GetProperty("direction").GetString());
        Assert.Equal((0, 90), (sync.GetProperty("pastDays").GetInt32(), sync.GetProperty("futureDays").GetInt32()));
        Assert.Equal("""{"privacy":false,"placeholder":"Busy","colorId":null}""", StyleOf(sync.GetProperty("copyToTarget")));
        Assert.Equal(JsonValueKind.Null, sync.GetProperty("copyToSource").ValueKind);
        Assert.Equal("origin-wins", sync.GetProperty("conflictPolicy").GetString());
        Assert.Equal(JsonValueKind.Null, sync.GetProperty("schedule").ValueKind);
        Assert.True(sync.GetProperty("active").GetBoolean());
        Assert.Equal(sync.GetProperty("createdAt").GetDateTimeOffset(), sync.GetProperty("updatedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_two_way_sync_keeps_every_setting_it_is_given()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var calendar = fixture.Google.Emulator.CreateCalendar(user.Accounts[1].Email, "Family");
        var body = ApiSyncs.OneWayBody(user)
            .With("target.calendarId", calendar)
            .With("direction", "two-way")
            .With("pastDays", 7)
            .With("futureDays", 30)
            .With("copyToTarget", new JsonObject { ["privacy"] = true, ["placeholder"] = "Work", ["colorId"] = "5" })
            .With("copyToSource", new JsonObject { ["privacy"] = false, ["placeholder"] = "Home", ["colorId"] = "11" })
            .With("conflictPolicy", "newest-wins")
            .With("schedule", new JsonObject { ["cron"] = "*/15 * * * *", ["timeZone"] = "Europe/Berlin" })
            .With("active", false);

        var sync = await user.CreateSyncAsync(body);

        Assert.Equal(calendar, sync.GetProperty("target").GetProperty("calendarId").GetString());
        Assert.Equal("two-way", sync.GetProperty("direction").GetString());
        Assert.Equal((7, 30), (sync.GetProperty("pastDays").GetInt32(), sync.GetProperty("futureDays").GetInt32()));
        Assert.Equal("""{"privacy":true,"placeholder":"Work","colorId":"5"}""", StyleOf(sync.GetProperty("copyToTarget")));
        Assert.Equal("""{"privacy":false,"placeholder":"Home","colorId":"11"}""", StyleOf(sync.GetProperty("copyToSource")));
        Assert.Equal("newest-wins", sync.GetProperty("conflictPolicy").GetString());
        Assert.Equal("""{"cron":"*/15 * * * *","timeZone":"Europe/Berlin"}""", sync.GetProperty("schedule").GetRawText());
        Assert.False(sync.GetProperty("active").GetBoolean());
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        var stored = await connection.QuerySingleAsync<(string, string, string, string)>(
            "select a_calendar_id, b_calendar_id, b_to_a_placeholder, cron from syncs where id = @id", new { id = sync.GetProperty("id").GetGuid() });
        Assert.Equal((user.Accounts[0].Email, calendar, "Home", "*/15 * * * *"), stored);
    }

    [Fact]
    public async Task Syncs_are_read_one_by_one_and_listed_oldest_first()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var first = await user.CreateSyncAsync(ApiSyncs.OneWayBody(user, "first"));
        var second = await user.CreateSyncAsync(ApiSyncs.OneWayBody(user, "second").With("direction", "two-way"));

        var one = await user.Client.GetFromJsonAsync<JsonElement>($"/api/syncs/{second.GetProperty("id").GetGuid()}");
        var all = await user.Client.GetFromJsonAsync<JsonElement>("/api/syncs");

        Assert.Equal(second.GetRawText(), one.GetRawText());
        Assert.Equal([first.GetRawText(), second.GetRawText()], all.EnumerateArray().Select(s => s.GetRawText()));
    }

    [Fact]
    public async Task A_patch_changes_only_the_fields_it_gives_and_null_restores_a_default()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var created = await user.CreateSyncAsync(ApiSyncs.OneWayBody(user)
            .With("pastDays", 3)
            .With("copyToTarget", new JsonObject { ["privacy"] = true, ["placeholder"] = "Away" })
            .With("schedule", new JsonObject { ["cron"] = "0 * * * *", ["timeZone"] = "UTC" }));
        var id = created.GetProperty("id").GetGuid();

        using var response = await user.Client.PatchSyncAsync(id,
            """{ "name": "Renamed", "copyToTarget": { "colorId": "7" }, "schedule": null, "pastDays": null, "active": false }""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var patched = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Renamed", patched.GetProperty("name").GetString());
        Assert.Equal("""{"privacy":true,"placeholder":"Away","colorId":"7"}""", StyleOf(patched.GetProperty("copyToTarget")));
        Assert.Equal(JsonValueKind.Null, patched.GetProperty("schedule").ValueKind);
        Assert.Equal(0, patched.GetProperty("pastDays").GetInt32());
        Assert.False(patched.GetProperty("active").GetBoolean());
        Assert.Equal(created.GetProperty("target").GetRawText(), patched.GetProperty("target").GetRawText());
        Assert.Equal(created.GetProperty("futureDays").GetInt32(), patched.GetProperty("futureDays").GetInt32());
        Assert.True(patched.GetProperty("updatedAt").GetDateTimeOffset() >= created.GetProperty("updatedAt").GetDateTimeOffset());
        var read = await user.Client.GetFromJsonAsync<JsonElement>($"/api/syncs/{id}");
        Assert.Equal(patched.GetRawText(), read.GetRawText());
    }

    [Fact]
    public async Task A_patch_may_repeat_the_calendars_and_direction_but_not_change_them()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var created = await user.CreateSyncAsync();
        var id = created.GetProperty("id").GetGuid();
        var same = $$"""{ "source": {{created.GetProperty("source").GetRawText()}}, "direction": "one-way", "name": "Same calendars" }""";

        using (var repeated = await user.Client.PatchSyncAsync(id, same))
        {
            Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        }
        using var changed = await user.Client.PatchSyncAsync(id, """{ "direction": "two-way" }""");

        Assert.Equal(HttpStatusCode.BadRequest, changed.StatusCode);
        Assert.Equal(["direction"], await ApiSyncs.ErrorKeysAsync(changed));
    }

    [Fact]
    public async Task A_deleted_sync_is_gone_and_its_copies_are_left_in_place()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var id = (await user.CreateSyncAsync()).GetProperty("id").GetGuid();

        using var deleted = await user.Client.DeleteAsync($"/api/syncs/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var read = await user.Client.GetAsync($"/api/syncs/{id}");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Empty((await user.Client.GetFromJsonAsync<JsonElement>("/api/syncs")).EnumerateArray());
        using var again = await user.Client.DeleteAsync($"/api/syncs/{id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Deleting_with_removeCopies_queues_the_run_that_removes_them_and_ends_waiting_runs()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var id = (await user.CreateSyncAsync()).GetProperty("id").GetGuid();
        using var triggered = await user.Client.PostAsync($"/api/syncs/{id}/runs", null);
        var waiting = (await triggered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();

        using var response = await user.Client.DeleteAsync($"/api/syncs/{id}?removeCopies=true");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var removal = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        Assert.Equal($"/api/runs/{removal}", response.Headers.Location!.OriginalString);
        var run = await user.Client.GetFromJsonAsync<JsonElement>($"/api/runs/{removal}");
        Assert.Equal(("queued", id, "remove_copies"), (run.GetProperty("status").GetString(), run.GetProperty("syncId").GetGuid(), run.GetProperty("kind").GetString()));
        var ended = await user.Client.GetFromJsonAsync<JsonElement>($"/api/runs/{waiting}");
        Assert.Equal("failed", ended.GetProperty("status").GetString());
        using var read = await user.Client.GetAsync($"/api/syncs/{id}");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        using var trigger = await user.Client.PostAsync($"/api/syncs/{id}/runs", null);
        Assert.Equal(HttpStatusCode.NotFound, trigger.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_syncs_and_runs()
    {
        using var client = fixture.Api.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        foreach (var (path, method) in new[]
        {
            ("/api/syncs", "post"), ("/api/syncs", "get"), ("/api/syncs/{id}", "get"), ("/api/syncs/{id}", "patch"),
            ("/api/syncs/{id}", "delete"), ("/api/syncs/{id}/runs", "post"), ("/api/syncs/{id}/runs", "get"),
            ("/api/runs/{id}", "get"), ("/api/runs/{id}/changes", "get"),
        })
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()), $"{method} {path} has a summary");
            Assert.True(operation.GetProperty("responses").TryGetProperty("404", out _) || path is "/api/syncs", $"{method} {path} documents 404");
        }
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var schema in new[] { "SyncBody", "SyncPatch", "SyncReply", "RunReply", "RunQueuedReply", "RunChangeReply", "TriggerRunRequest" })
        {
            Assert.True(schemas.TryGetProperty(schema, out _), $"schema {schema}");
        }
        Assert.Equal(
            ["name", "source", "target", "direction"],
            schemas.GetProperty("SyncBody").GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.True(paths.GetProperty("/api/syncs").GetProperty("post").GetProperty("responses").TryGetProperty("400", out _));
    }

    // Privacy, placeholder and colour as the reply spells them; the copy rules beside them have tests of their own.
    private static string StyleOf(JsonElement copy) =>
        $$"""{"privacy":{{copy.GetProperty("privacy").GetRawText()}},"placeholder":{{copy.GetProperty("placeholder").GetRawText()}},"colorId":{{copy.GetProperty("colorId").GetRawText()}}}""";
}
