using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Tests.Kit;

namespace CalSync.GoogleEmulator.Tests;

public sealed class EventsCrudTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly DateTimeOffset Noon = new(2030, 3, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Insert_get_update_patch_round_trip_with_new_etags()
    {
        var user = await fixture.NewUserAsync();
        var created = await user.InsertAsync("Lunch", Noon, e => e["location"] = "Cafe");
        var id = created["id"]!.GetValue<string>();

        var got = await user.GetAsync($"{user.Events}/{id}");
        var updated = await user.PutAsync($"{user.Events}/{id}", new JsonObject
        {
            ["summary"] = "Long lunch",
            ["start"] = created["start"]!.DeepClone(),
            ["end"] = new JsonObject { ["dateTime"] = "2030-03-04T14:00:00Z" },
        });
        var patched = await user.PatchAsync($"{user.Events}/{id}", new { description = "with team" });

        Assert.Equal("calendar#event", created["kind"]!.GetValue<string>());
        Assert.Equal("confirmed", created["status"]!.GetValue<string>());
        Assert.Equal(id + "@google.com", created["iCalUID"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, got.Status);
        Assert.Equal(created["etag"]!.GetValue<string>(), got.Message.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Null(updated.Json!["location"]);
        Assert.Equal("Long lunch", patched.Json!["summary"]!.GetValue<string>());
        Assert.Equal("with team", patched.Json["description"]!.GetValue<string>());
        Assert.Equal(3, new[] { created, updated.Json, patched.Json }.Select(e => e["etag"]!.GetValue<string>()).Distinct().Count());
    }

    [Fact]
    public async Task Sequence_increments_when_the_time_changes_but_not_for_a_new_summary()
    {
        var user = await fixture.NewUserAsync();
        var created = await user.InsertAsync("Seq", Noon);
        var path = $"{user.Events}/{created["id"]}";

        var renamed = await user.PatchAsync(path, new { summary = "Renamed" });
        var moved = await user.PatchAsync(path, new { start = new { dateTime = "2030-03-04T13:00:00Z" }, end = new { dateTime = "2030-03-04T14:00:00Z" } });

        Assert.Equal(0, created["sequence"]!.GetValue<int>());
        Assert.Equal(0, renamed.Json!["sequence"]!.GetValue<int>());
        Assert.Equal(1, moved.Json!["sequence"]!.GetValue<int>());
    }

    [Fact]
    public async Task Patching_date_turns_a_timed_event_into_an_all_day_event()
    {
        var user = await fixture.NewUserAsync();
        var created = await user.InsertAsync("Timed", Noon);

        var patched = await user.PatchAsync($"{user.Events}/{created["id"]}", new { start = new { date = "2030-03-04" }, end = new { date = "2030-03-05" } });

        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal("2030-03-04", patched.Json!["start"]!["date"]!.GetValue<string>());
        Assert.Null(patched.Json["start"]!["dateTime"]);
    }

    [Fact]
    public async Task Duplicate_id_is_409_also_for_a_deleted_event()
    {
        var user = await fixture.NewUserAsync();
        var id = Bodies.NewId();
        Assert.Equal(HttpStatusCode.OK, (await user.PostAsync(user.Events, Bodies.Timed("a", id))).Status);

        var duplicate = await user.PostAsync(user.Events, Bodies.Timed("b", id));
        await user.DeleteAsync($"{user.Events}/{id}");
        var afterDelete = await user.PostAsync(user.Events, Bodies.Timed("c", id));

        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal("duplicate", duplicate.Reason);
        Assert.Equal(HttpStatusCode.Conflict, afterDelete.Status);
        Assert.Equal("duplicate", afterDelete.Reason);
    }

    [Fact]
    public async Task If_match_with_a_stale_etag_is_412_and_the_current_etag_succeeds()
    {
        var user = await fixture.NewUserAsync();
        var created = await user.InsertAsync("Meeting", Noon);
        var id = created["id"]!.GetValue<string>();
        var etag = created["etag"]!.GetValue<string>();
        await user.PatchAsync($"{user.Events}/{id}", new { summary = "changed elsewhere" });

        var stale = await user.PatchAsync($"{user.Events}/{id}", new { summary = "mine" }, ("If-Match", etag));
        var staleDelete = await user.DeleteAsync($"{user.Events}/{id}", ("If-Match", etag));
        var current = (await user.GetAsync($"{user.Events}/{id}")).Json!["etag"]!.GetValue<string>();
        var fresh = await user.PatchAsync($"{user.Events}/{id}", new { summary = "mine" }, ("If-Match", current));

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal("conditionNotMet", stale.Reason);
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleDelete.Status);
        Assert.Equal(HttpStatusCode.OK, fresh.Status);
    }

    [Fact]
    public async Task If_none_match_with_the_current_etag_is_304()
    {
        var user = await fixture.NewUserAsync();
        var created = await user.InsertAsync("Meeting", Noon);

        var reply = await user.GetAsync($"{user.Events}/{created["id"]}", ("If-None-Match", created["etag"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.NotModified, reply.Status);
    }

    [Fact]
    public async Task Delete_leaves_a_cancelled_tombstone_a_second_delete_is_410_and_update_with_confirmed_restores()
    {
        var user = await fixture.NewUserAsync();
        var created = await user.InsertAsync("Tombstone", Noon);
        var path = $"{user.Events}/{created["id"]}";

        var deleted = await user.DeleteAsync(path);
        var get = await user.GetAsync(path);
        var again = await user.DeleteAsync(path);
        var restored = await user.PutAsync(path, new JsonObject
        {
            ["summary"] = "Back", ["status"] = "confirmed",
            ["start"] = created["start"]!.DeepClone(), ["end"] = created["end"]!.DeepClone(),
        });

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal("cancelled", get.Json!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Gone, again.Status);
        Assert.Equal("deleted", again.Reason);
        Assert.Equal("confirmed", restored.Json!["status"]!.GetValue<string>());
        Assert.Contains(created["id"]!.GetValue<string>(), (await user.GetAsync(user.Events)).ItemIds);
    }

    [Fact]
    public async Task Unknown_event_is_404_and_another_accounts_calendar_is_404()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");

        var missing = await alice.GetAsync($"{alice.Events}/doesnotexist0");
        var foreign = await alice.GetAsync(bob.Events);
        var foreignInsert = await alice.PostAsync(bob.Events, Bodies.Timed("x"));

        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("notFound", missing.Reason);
        Assert.Equal(HttpStatusCode.NotFound, foreign.Status);
        Assert.Equal(HttpStatusCode.NotFound, foreignInsert.Status);
    }

    [Fact]
    public async Task Gzip_compressed_body_is_accepted()
    {
        var user = await fixture.NewUserAsync();
        var json = Encoding.UTF8.GetBytes(Bodies.Timed("gzipped").ToJsonString());
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(json);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, user.Events) { Content = new ByteArrayContent(compressed.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        var reply = await Reply.ReadAsync(await fixture.Http.SendAsync(request));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("gzipped", reply.Json!["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task Responses_are_gzipped_when_accept_encoding_and_user_agent_ask_for_it()
    {
        var user = await fixture.NewUserAsync();
        await user.InsertAsync("zipped", Noon);
        using var request = new HttpRequestMessage(HttpMethod.Get, user.Events);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        request.Headers.UserAgent.ParseAdd("CalSync-tests/1.0 (gzip)");

        using var response = await fixture.Http.SendAsync(request);
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        var json = await JsonNode.ParseAsync(gzip);

        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        Assert.Equal("zipped", json!["items"]![0]!["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task Primary_alias_and_percent_encoded_email_address_the_same_calendar()
    {
        var user = await fixture.NewUserAsync();
        var created = await user.InsertAsync("alias", Noon, calendarPath: "calendar/v3/calendars/primary/events");

        var viaEmail = await user.GetAsync($"{user.Events}/{created["id"]}");

        Assert.Equal(HttpStatusCode.OK, viaEmail.Status);
        Assert.Equal(user.Email, created["organizer"]!["email"]!.GetValue<string>());
        Assert.Equal("2030-03-04T12:00:00Z", created["start"]!["dateTime"]!.GetValue<string>());
    }

    [Fact]
    public async Task Missing_or_invalid_bearer_is_401_auth_error()
    {
        using var response = await fixture.Http.GetAsync("calendar/v3/colors");
        var reply = await Reply.ReadAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("authError", reply.Reason);
        Assert.Equal("UNAUTHENTICATED", reply.Json!["error"]!["status"]!.GetValue<string>());
    }
}
