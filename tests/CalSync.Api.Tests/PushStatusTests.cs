using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CalSync.Engine.Push;
using Microsoft.Extensions.DependencyInjection;

namespace CalSync.Api.Tests;

/// <summary>A sync's JSON says, per calendar it reads, whether push is on and until when, or why Google refused.</summary>
public sealed class PushStatusTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private WatchChannelStore Channels => fixture.Api.Services.GetRequiredService<WatchChannelStore>();

    [Fact]
    public async Task A_two_way_sync_shows_push_for_both_calendars_a_one_way_sync_for_its_source()
    {
        var user = await fixture.NewUserAsync();
        var oneWay = await CreateAsync(user, ApiSyncs.OneWayBody(user));
        var twoWay = await CreateAsync(user, ApiSyncs.OneWayBody(user, "both ways").With("direction", "two-way"));
        var source = new WatchedCalendar(user.Accounts[0].Id, oneWay["source"]!["calendarId"]!.GetValue<string>());
        var target = new WatchedCalendar(user.Accounts[1].Id, oneWay["target"]!["calendarId"]!.GetValue<string>());
        var expires = new DateTimeOffset(2031, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var id = ChannelTokens.NewChannelId();
        Assert.True(await Channels.TryAddPendingAsync(id, source, ChannelTokens.Hash(ChannelTokens.NewToken()), CancellationToken.None));
        await Channels.ActivateAsync(id, "resource", expires, null, CancellationToken.None);
        await Channels.RecordFailureAsync(target, "Google said no", expires, CancellationToken.None);

        var one = await user.Client.GetFromJsonAsync<JsonObject>($"/api/syncs/{oneWay["id"]}");
        var list = await user.Client.GetFromJsonAsync<JsonArray>("/api/syncs");

        AssertJson("""[{"calendar":"source","active":true,"expiresAt":"2031-01-02T03:04:05+00:00","problem":null}]""", one!["push"]);
        var both = list!.Single(s => s!["id"]!.GetValue<string>() == twoWay["id"]!.GetValue<string>())!;
        AssertJson(
            """[{"calendar":"source","active":true,"expiresAt":"2031-01-02T03:04:05+00:00","problem":null},"""
            + """{"calendar":"target","active":false,"expiresAt":null,"problem":"Google said no"}]""",
            both["push"]);
    }

    [Fact]
    public async Task A_sync_nobody_watches_yet_shows_push_off()
    {
        var user = await fixture.NewUserAsync();
        var sync = await CreateAsync(user, ApiSyncs.OneWayBody(user));

        var one = await user.Client.GetFromJsonAsync<JsonObject>($"/api/syncs/{sync["id"]}");

        AssertJson("""[{"calendar":"source","active":false,"expiresAt":null,"problem":null}]""", one!["push"]);
    }

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}, got {actual?.ToJsonString()}");

    private static async Task<JsonObject> CreateAsync(ApiUser user, JsonObject body)
    {
        using var response = await user.Client.PostSyncAsync(body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
