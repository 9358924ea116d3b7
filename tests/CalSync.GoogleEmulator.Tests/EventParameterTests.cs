using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Tests.Kit;

namespace CalSync.GoogleEmulator.Tests;

public sealed class EventParameterTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly DateTimeOffset Noon = new(2030, 3, 4, 12, 0, 0, TimeSpan.Zero);

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
        var withCall = await user.PostAsync(user.Events + "?conferenceDataVersion=1", WithConference(Bodies.Timed("Call"), request));

        Assert.Null(ignored["conferenceData"]);
        Assert.Equal("success", withCall.Json!["conferenceData"]!["createRequest"]!["status"]!["statusCode"]!.GetValue<string>());
        Assert.StartsWith("https://meet.google.com/", withCall.Json["hangoutLink"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static JsonObject WithConference(JsonObject body, JsonObject conference)
    {
        body["conferenceData"] = conference.DeepClone();
        return body;
    }
}
