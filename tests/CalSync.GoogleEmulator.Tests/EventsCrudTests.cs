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

    [Theory]
    [InlineData("abc")]
    [InlineData("UPPERCASE123")]
    [InlineData("has-dash-123")]
    [InlineData("wxyz12345")]
    public async Task Invalid_client_ids_are_400_invalid(string id)
    {
        var user = await fixture.NewUserAsync();

        var reply = await user.PostAsync(user.Events, Body("x", id));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("invalid", reply.Reason);
    }

    [Fact]
    public async Task Duplicate_id_is_409_also_for_a_deleted_event()
    {
        var user = await fixture.NewUserAsync();
        var id = NewId();
        Assert.Equal(HttpStatusCode.OK, (await user.PostAsync(user.Events, Body("a", id))).Status);

        var duplicate = await user.PostAsync(user.Events, Body("b", id));
        await user.DeleteAsync($"{user.Events}/{id}");
        var afterDelete = await user.PostAsync(user.Events, Body("c", id));

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
        var foreignInsert = await alice.PostAsync(bob.Events, Body("x"));

        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("notFound", missing.Reason);
        Assert.Equal(HttpStatusCode.NotFound, foreign.Status);
        Assert.Equal(HttpStatusCode.NotFound, foreignInsert.Status);
    }

    [Fact]
    public async Task Missing_times_and_bad_bodies_are_400()
    {
        var user = await fixture.NewUserAsync();

        var noEnd = await user.PostAsync(user.Events, new { summary = "x", start = new { dateTime = "2030-01-01T10:00:00Z" } });
        var mixed = await user.PostAsync(user.Events, new { start = new { date = "2030-01-01" }, end = new { dateTime = "2030-01-01T10:00:00Z" } });
        var backwards = await user.PostAsync(user.Events, new { start = new { dateTime = "2030-01-01T10:00:00Z" }, end = new { dateTime = "2030-01-01T09:00:00Z" } });
        var noZone = await user.PostAsync(user.Events, new { start = new { dateTime = "2030-01-01T10:00:00" }, end = new { dateTime = "2030-01-01T11:00:00" } });
        var garbage = await user.PostAsync(user.Events, "{not json");

        Assert.Equal(("required", HttpStatusCode.BadRequest), (noEnd.Reason, noEnd.Status));
        Assert.Equal(HttpStatusCode.BadRequest, mixed.Status);
        Assert.Equal("timeRangeEmpty", backwards.Reason);
        Assert.Equal("required", noZone.Reason);
        Assert.Equal("parseError", garbage.Reason);
    }

    [Fact]
    public async Task Status_event_types_only_on_primary_and_type_properties_only_on_their_type()
    {
        var user = await fixture.NewUserAsync();
        var secondary = await fixture.NewCalendarAsync(user);
        var secondaryEvents = $"calendar/v3/calendars/{Uri.EscapeDataString(secondary)}/events";

        var onPrimary = await user.PostAsync(user.Events, TypedBody("outOfOffice", "outOfOfficeProperties"));
        var focus = await user.PostAsync(user.Events, TypedBody("focusTime", "focusTimeProperties"));
        var onSecondary = await user.PostAsync(secondaryEvents, TypedBody("outOfOffice", "outOfOfficeProperties"));
        var propsOnDefault = await user.PostAsync(user.Events, TypedBody("default", "outOfOfficeProperties"));
        var fromGmail = await user.PostAsync(user.Events, TypedBody("fromGmail", null));
        var changeType = await user.PatchAsync($"{user.Events}/{onPrimary.Json!["id"]}", new { eventType = "default" });

        Assert.Equal(HttpStatusCode.OK, onPrimary.Status);
        Assert.Equal("outOfOffice", onPrimary.Json!["eventType"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, focus.Status);
        Assert.Equal(HttpStatusCode.BadRequest, onSecondary.Status);
        Assert.Equal(HttpStatusCode.BadRequest, propsOnDefault.Status);
        Assert.Equal(HttpStatusCode.BadRequest, fromGmail.Status);
        Assert.Equal(HttpStatusCode.BadRequest, changeType.Status);
    }

    [Theory]
    [InlineData("colorId", "12")]
    [InlineData("transparency", "see-through")]
    [InlineData("visibility", "secret")]
    [InlineData("status", "maybe")]
    public async Task Invalid_enum_values_are_400(string field, string value)
    {
        var user = await fixture.NewUserAsync();
        var body = Body("enum");
        body[field] = value;

        var reply = await user.PostAsync(user.Events, body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("invalid", reply.Reason);
    }

    [Fact]
    public async Task Reminder_minutes_attendees_without_email_and_unknown_send_updates_are_400()
    {
        var user = await fixture.NewUserAsync();
        var farReminder = Body("far");
        farReminder["reminders"] = new JsonObject
        {
            ["useDefault"] = false,
            ["overrides"] = new JsonArray(new JsonObject { ["method"] = "popup", ["minutes"] = 40321 }),
        };
        var nameless = Body("nameless");
        nameless["attendees"] = new JsonArray(new JsonObject { ["displayName"] = "No mail" });

        var far = await user.PostAsync(user.Events, farReminder);
        var noEmail = await user.PostAsync(user.Events, nameless);
        var badSend = await user.PostAsync(user.Events + "?sendUpdates=everyone", Body("send"));
        var goodSend = await user.PostAsync(user.Events + "?sendUpdates=none", Body("send"));

        Assert.Equal(HttpStatusCode.BadRequest, far.Status);
        Assert.Equal(HttpStatusCode.BadRequest, noEmail.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badSend.Status);
        Assert.Equal(HttpStatusCode.OK, goodSend.Status);
    }

    [Fact]
    public async Task Reminders_overrides_with_use_default_or_more_than_five_are_400_and_valid_ones_are_kept()
    {
        var user = await fixture.NewUserAsync();
        JsonObject Reminders(bool useDefault, int count)
        {
            var body = Body("reminders");
            body["reminders"] = new JsonObject
            {
                ["useDefault"] = useDefault,
                ["overrides"] = new JsonArray([.. Enumerable.Range(1, count).Select(i => (JsonNode)new JsonObject { ["method"] = "popup", ["minutes"] = i })]),
            };
            return body;
        }

        var both = await user.PostAsync(user.Events, Reminders(true, 1));
        var six = await user.PostAsync(user.Events, Reminders(false, 6));
        var five = await user.PostAsync(user.Events, Reminders(false, 5));

        Assert.Equal(HttpStatusCode.BadRequest, both.Status);
        Assert.Equal(HttpStatusCode.BadRequest, six.Status);
        Assert.Equal(5, five.Json!["reminders"]!["overrides"]!.AsArray().Count);
    }

    [Fact]
    public async Task Time_zone_parameter_answers_date_times_in_that_zone_on_get_and_list()
    {
        var user = await fixture.NewUserAsync();
        var created = await user.InsertAsync("Zoned", new DateTimeOffset(2030, 1, 7, 9, 0, 0, TimeSpan.Zero));

        var got = await user.GetAsync($"{user.Events}/{created["id"]}?timeZone=Asia%2FTokyo");
        var listed = await user.GetAsync($"{user.Events}?timeZone=America%2FLos_Angeles");

        Assert.Equal("2030-01-07T18:00:00+09:00", got.Json!["start"]!["dateTime"]!.GetValue<string>());
        Assert.Equal("2030-01-07T01:00:00-08:00", listed.Items[0]!["start"]!["dateTime"]!.GetValue<string>());
        Assert.Equal("America/Los_Angeles", listed.Json!["timeZone"]!.GetValue<string>());
    }

    [Fact]
    public async Task Max_attendees_trims_the_list_and_sets_attendees_omitted()
    {
        var user = await fixture.NewUserAsync();
        var created = await user.InsertAsync("Crowd", Noon, e => e["attendees"] = new JsonArray(
            new JsonObject { ["email"] = "x1@elsewhere.example.com" },
            new JsonObject { ["email"] = "x2@elsewhere.example.com" },
            new JsonObject { ["email"] = "x3@elsewhere.example.com" }));

        var got = await user.GetAsync($"{user.Events}/{created["id"]}?maxAttendees=1");

        Assert.Equal(3, created["attendees"]!.AsArray().Count);
        Assert.True(got.Json!["attendees"]!.AsArray().Count <= 1);
        Assert.True(got.Json["attendeesOmitted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Conference_data_needs_conference_data_version_1()
    {
        var user = await fixture.NewUserAsync();
        var request = new JsonObject { ["createRequest"] = new JsonObject { ["requestId"] = "req-1", ["conferenceSolutionKey"] = new JsonObject { ["type"] = "hangoutsMeet" } } };

        var ignored = await user.InsertAsync("No call", Noon, e => e["conferenceData"] = request.DeepClone());
        var withCall = await user.PostAsync(user.Events + "?conferenceDataVersion=1", WithConference(Body("Call"), request));

        Assert.Null(ignored["conferenceData"]);
        Assert.Equal("success", withCall.Json!["conferenceData"]!["createRequest"]!["status"]!["statusCode"]!.GetValue<string>());
        Assert.StartsWith("https://meet.google.com/", withCall.Json["hangoutLink"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static JsonObject WithConference(JsonObject body, JsonObject conference)
    {
        body["conferenceData"] = conference.DeepClone();
        return body;
    }

    [Fact]
    public async Task Gzip_compressed_body_is_accepted()
    {
        var user = await fixture.NewUserAsync();
        var json = Encoding.UTF8.GetBytes(Body("gzipped").ToJsonString());
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

    /// <summary>Hex digits are a subset of base32hex, so a Guid makes a valid client id.</summary>
    internal static string NewId() => "c0" + Guid.NewGuid().ToString("N");

    internal static JsonObject Body(string summary, string? id = null)
    {
        var body = new JsonObject
        {
            ["summary"] = summary,
            ["start"] = new JsonObject { ["dateTime"] = "2030-05-01T10:00:00Z" },
            ["end"] = new JsonObject { ["dateTime"] = "2030-05-01T11:00:00Z" },
        };
        if (id is not null)
        {
            body["id"] = id;
        }

        return body;
    }

    private static JsonObject TypedBody(string type, string? property)
    {
        var body = Body(type);
        body["eventType"] = type;
        if (property is not null)
        {
            body[property] = new JsonObject { ["autoDeclineMode"] = "declineNone" };
        }

        return body;
    }
}
