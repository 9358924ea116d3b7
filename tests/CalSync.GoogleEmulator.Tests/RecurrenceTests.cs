using System.Net;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Tests.Kit;

namespace CalSync.GoogleEmulator.Tests;

public sealed class RecurrenceTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    // Mondays 2030-03-04, 11, 18, 25 at 10:00 Zurich (+01:00 until the DST switch on 2030-03-31).
    private const string Window = "timeMin=2030-03-01T00:00:00Z&timeMax=2030-04-01T00:00:00Z";

    [Fact]
    public async Task Single_events_expands_with_google_instance_ids_and_exdate()
    {
        var user = await fixture.NewUserAsync();
        var series = await InsertWeeklyAsync(user, "EXDATE;TZID=Europe/Zurich:20300311T100000");
        var id = series["id"]!.GetValue<string>();

        var reply = await user.GetAsync($"{user.Events}?singleEvents=true&orderBy=startTime&{Window}");

        Assert.Equal([$"{id}_20300304T090000Z", $"{id}_20300318T090000Z", $"{id}_20300325T090000Z"], reply.ItemIds);
        var first = reply.Items[0]!;
        Assert.Equal(id, first["recurringEventId"]!.GetValue<string>());
        Assert.Equal("2030-03-04T10:00:00+01:00", first["originalStartTime"]!["dateTime"]!.GetValue<string>());
        Assert.Equal("Europe/Zurich", first["start"]!["timeZone"]!.GetValue<string>());
        Assert.Null(first["recurrence"]);
        Assert.Equal(series["iCalUID"]!.GetValue<string>(), first["iCalUID"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_single_events_the_series_is_listed_once()
    {
        var user = await fixture.NewUserAsync();
        var series = await InsertWeeklyAsync(user);

        var reply = await user.GetAsync($"{user.Events}?{Window}");

        Assert.Equal([series["id"]!.GetValue<string>()], reply.ItemIds);
        Assert.NotNull(reply.Items[0]!["recurrence"]);
    }

    [Fact]
    public async Task Modifying_an_instance_creates_an_exception_that_replaces_it()
    {
        var user = await fixture.NewUserAsync();
        var id = (await InsertWeeklyAsync(user))["id"]!.GetValue<string>();
        var instanceId = $"{id}_20300318T090000Z";

        var patched = await user.PatchAsync($"{user.Events}/{instanceId}", new
        {
            summary = "Moved standup",
            start = new { dateTime = "2030-03-18T11:00:00+01:00", timeZone = "Europe/Zurich" },
            end = new { dateTime = "2030-03-18T11:30:00+01:00", timeZone = "Europe/Zurich" },
        });
        var single = await user.GetAsync($"{user.Events}?singleEvents=true&orderBy=startTime&{Window}");
        var plain = await user.GetAsync($"{user.Events}?{Window}");
        var got = await user.GetAsync($"{user.Events}/{instanceId}");

        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal(id, patched.Json!["recurringEventId"]!.GetValue<string>());
        Assert.Equal("2030-03-18T10:00:00+01:00", patched.Json["originalStartTime"]!["dateTime"]!.GetValue<string>());
        var moved = single.Items.Single(i => i!["id"]!.GetValue<string>() == instanceId)!;
        Assert.Equal("Moved standup", moved["summary"]!.GetValue<string>());
        Assert.Equal(4, single.Items.Count);
        Assert.Equal(2, plain.Items.Count);
        Assert.Equal("Moved standup", got.Json!["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_an_instance_cancels_it_and_incremental_sync_reports_it()
    {
        var user = await fixture.NewUserAsync();
        var id = (await InsertWeeklyAsync(user))["id"]!.GetValue<string>();
        var token = (await user.GetAsync($"{user.Events}?singleEvents=true")).Json!["nextSyncToken"]!.GetValue<string>();

        var deleted = await user.DeleteAsync($"{user.Events}/{id}_20300311T090000Z");
        var single = await user.GetAsync($"{user.Events}?singleEvents=true&{Window}");
        var withDeleted = await user.GetAsync($"{user.Events}?singleEvents=true&showDeleted=true&{Window}");
        var plain = await user.GetAsync($"{user.Events}?{Window}");
        var changes = await user.GetAsync($"{user.Events}?singleEvents=true&syncToken={Uri.EscapeDataString(token)}");
        var again = await user.DeleteAsync($"{user.Events}/{id}_20300311T090000Z");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(3, single.Items.Count);
        Assert.Equal(4, withDeleted.Items.Count);
        Assert.Contains(plain.Items, i => i!["status"]!.GetValue<string>() == "cancelled" && i["recurringEventId"]!.GetValue<string>() == id);
        var cancelled = changes.Items.Single()!;
        Assert.Equal($"{id}_20300311T090000Z", cancelled["id"]!.GetValue<string>());
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        Assert.NotNull(cancelled["originalStartTime"]);
        Assert.Equal(HttpStatusCode.Gone, again.Status);
    }

    [Fact]
    public async Task Instances_endpoint_lists_occurrences_and_unknown_instance_ids_are_404()
    {
        var user = await fixture.NewUserAsync();
        var id = (await InsertWeeklyAsync(user))["id"]!.GetValue<string>();

        var instances = await user.GetAsync($"{user.Events}/{id}/instances?{Window}");
        var missing = await user.GetAsync($"{user.Events}/{id}_20300305T090000Z");

        Assert.Equal(4, instances.Items.Count);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Fact]
    public async Task All_day_series_use_date_instance_ids()
    {
        var user = await fixture.NewUserAsync();
        var series = await user.PostAsync(user.Events, new JsonObject
        {
            ["summary"] = "Daily all-day",
            ["start"] = new JsonObject { ["date"] = "2030-03-04" },
            ["end"] = new JsonObject { ["date"] = "2030-03-05" },
            ["recurrence"] = new JsonArray("RRULE:FREQ=DAILY;COUNT=3", "RDATE;VALUE=DATE:20300310"),
        });
        var id = series.Json!["id"]!.GetValue<string>();

        var reply = await user.GetAsync($"{user.Events}?singleEvents=true&orderBy=startTime&{Window}");

        Assert.Equal([$"{id}_20300304", $"{id}_20300305", $"{id}_20300306", $"{id}_20300310"], reply.ItemIds);
        Assert.Equal("2030-03-05", reply.Items[0]!["end"]!["date"]!.GetValue<string>());
    }

    [Fact]
    public async Task Recurring_timed_event_without_time_zone_is_400()
    {
        var user = await fixture.NewUserAsync();

        var reply = await user.PostAsync(user.Events, new JsonObject
        {
            ["start"] = new JsonObject { ["dateTime"] = "2030-03-04T10:00:00+01:00" },
            ["end"] = new JsonObject { ["dateTime"] = "2030-03-04T10:30:00+01:00" },
            ["recurrence"] = new JsonArray("RRULE:FREQ=WEEKLY"),
        });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
    }

    [Fact]
    public async Task Deleting_the_series_cancels_it()
    {
        var user = await fixture.NewUserAsync();
        var id = (await InsertWeeklyAsync(user))["id"]!.GetValue<string>();

        await user.DeleteAsync($"{user.Events}/{id}");
        var single = await user.GetAsync($"{user.Events}?singleEvents=true&{Window}");

        Assert.Empty(single.Items);
    }

    [Fact]
    public async Task Deleting_a_series_reports_its_instances_as_cancelled_in_single_events_sync()
    {
        var user = await fixture.NewUserAsync();
        var id = (await InsertWeeklyAsync(user))["id"]!.GetValue<string>();
        var token = (await user.GetAsync($"{user.Events}?singleEvents=true")).Json!["nextSyncToken"]!.GetValue<string>();

        await user.DeleteAsync($"{user.Events}/{id}");
        var changes = await user.GetAsync($"{user.Events}?singleEvents=true&syncToken={Uri.EscapeDataString(token)}");

        Assert.Equal(4, changes.Items.Count);
        Assert.All(changes.Items, i =>
        {
            Assert.Equal("cancelled", i!["status"]!.GetValue<string>());
            Assert.Equal(id, i["recurringEventId"]!.GetValue<string>());
        });
    }

    private static async Task<JsonNode> InsertWeeklyAsync(GoogleUser user, params string[] extra)
    {
        var reply = await user.PostAsync(user.Events, new JsonObject
        {
            ["summary"] = "Standup",
            ["start"] = new JsonObject { ["dateTime"] = "2030-03-04T10:00:00", ["timeZone"] = "Europe/Zurich" },
            ["end"] = new JsonObject { ["dateTime"] = "2030-03-04T10:30:00", ["timeZone"] = "Europe/Zurich" },
            ["recurrence"] = new JsonArray([(JsonNode)"RRULE:FREQ=WEEKLY;COUNT=4", .. extra.Select(e => (JsonNode)e)]),
        });
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Text);
        return reply.Json!;
    }
}
