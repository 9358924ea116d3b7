using System.Net;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Tests.Kit;

namespace CalSync.GoogleEmulator.Tests;

/// <summary>Google keeps event times to the second: fractions a client sends (JavaScript's toISOString does) are dropped.</summary>
public sealed class TimePrecisionTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task A_window_starting_at_an_events_reported_end_does_not_return_it()
    {
        var user = await fixture.NewUserAsync();
        var created = await user.PostAsync(user.Events, new
        {
            summary = "millis",
            start = new { dateTime = "2030-05-01T10:00:00.750Z" },
            end = new { dateTime = "2030-05-01T11:00:00.750Z" },
        });
        var end = created.Json!["end"]!["dateTime"]!.GetValue<string>();
        var start = created.Json!["start"]!["dateTime"]!.GetValue<string>();

        var after = await user.GetAsync($"{user.Events}?timeMin={Uri.EscapeDataString(end)}&timeMax=2030-05-02T00:00:00Z");
        var before = await user.GetAsync($"{user.Events}?timeMin=2030-05-01T00:00:00Z&timeMax={Uri.EscapeDataString(start)}");
        var during = await user.GetAsync($"{user.Events}?timeMin=2030-05-01T00:00:00Z&timeMax=2030-05-02T00:00:00Z");

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal("2030-05-01T10:00:00Z", start);
        Assert.Equal("2030-05-01T11:00:00Z", end);
        Assert.Empty(after.Items);
        Assert.Empty(before.Items);
        Assert.Single(during.Items);
    }

    [Fact]
    public async Task Milliseconds_in_time_max_are_ignored()
    {
        var user = await fixture.NewUserAsync();
        await user.InsertAsync("starts at ten", new DateTimeOffset(2030, 5, 1, 10, 0, 0, TimeSpan.Zero));

        // Read as 10:00:00, the exclusive bound on the start leaves the event out.
        var reply = await user.GetAsync($"{user.Events}?timeMin=2030-05-01T00:00:00Z&timeMax={Uri.EscapeDataString("2030-05-01T10:00:00.500Z")}");

        Assert.Empty(reply.Items);
    }

    [Fact]
    public async Task A_daily_series_whose_start_has_milliseconds_expands_to_its_full_count()
    {
        var user = await fixture.NewUserAsync();
        var series = await user.PostAsync(user.Events, new JsonObject
        {
            ["summary"] = "daily",
            ["start"] = new JsonObject { ["dateTime"] = "2030-05-06T08:00:00.123Z", ["timeZone"] = "Europe/Berlin" },
            ["end"] = new JsonObject { ["dateTime"] = "2030-05-06T08:30:00.123Z", ["timeZone"] = "Europe/Berlin" },
            ["recurrence"] = new JsonArray("RRULE:FREQ=DAILY;COUNT=3"),
        });
        var id = series.Json!["id"]!.GetValue<string>();

        var instances = await user.GetAsync($"{user.Events}?singleEvents=true&orderBy=startTime");
        var viaInstances = await user.GetAsync($"{user.Events}/{id}/instances");

        Assert.Equal(HttpStatusCode.OK, series.Status);
        Assert.Equal([$"{id}_20300506T080000Z", $"{id}_20300507T080000Z", $"{id}_20300508T080000Z"], instances.ItemIds);
        Assert.Equal("2030-05-06T10:00:00+02:00", instances.Items[0]!["start"]!["dateTime"]!.GetValue<string>());
        Assert.Equal(3, viaInstances.Items.Count);
    }
}
