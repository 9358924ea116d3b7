using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Tests.Kit;

namespace CalSync.GoogleEmulator.Tests;

/// <summary>The quota's window length and the stats that show how close an account came to it; its own emulator, as faults and stats totals are global.</summary>
public sealed class QuotaWindowTests(FaultFixture fixture) : IClassFixture<FaultFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await PutFaultsAsync(new JsonObject
    {
        ["quotaPerUserPerMinute"] = null, ["quotaWindowSeconds"] = 60, ["quotaStatus"] = 403, ["latencyMs"] = 0, ["failNext"] = 0,
        ["errorStatuses"] = new JsonArray(503),
    });

    [Fact]
    public async Task Quota_window_defaults_to_sixty_seconds_and_round_trips()
    {
        var before = JsonNode.Parse(await fixture.Http.GetStringAsync("emulator/faults"))!;
        var after = await PutFaultsAsync(new JsonObject { ["quotaWindowSeconds"] = 7 });

        Assert.Equal(60, before["quotaWindowSeconds"]!.GetValue<int>());
        Assert.Equal(7, after["quotaWindowSeconds"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3601)]
    [InlineData(-5)]
    public async Task A_quota_window_outside_one_to_3600_seconds_is_400_and_changes_nothing(int seconds)
    {
        await PutFaultsAsync(new JsonObject { ["quotaWindowSeconds"] = 30 });

        using var response = await fixture.Http.PutAsJsonAsync("emulator/faults", new JsonObject { ["quotaWindowSeconds"] = seconds, ["latencyMs"] = 9 });
        var got = JsonNode.Parse(await fixture.Http.GetStringAsync("emulator/faults"))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("quotaWindowSeconds", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(30, got["quotaWindowSeconds"]!.GetValue<int>());
        Assert.Equal(0, got["latencyMs"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_quota_slides_over_the_configured_window()
    {
        var user = await fixture.NewUserAsync();
        await PutFaultsAsync(new JsonObject { ["quotaPerUserPerMinute"] = 3, ["quotaWindowSeconds"] = 10 });

        var first = await user.GetAsync(user.Events);                      // t = 0
        fixture.Clock.Advance(TimeSpan.FromSeconds(5));
        var second = await user.GetAsync(user.Events);                     // t = 5
        var third = await user.GetAsync(user.Events);                      // t = 5
        fixture.Clock.Advance(TimeSpan.FromSeconds(4));
        var spent = await user.GetAsync(user.Events);                      // t = 9: three calls in (-1, 9]
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var oldestLeft = await user.GetAsync(user.Events);                 // t = 10: the call at 0 has left (0, 10]
        var spentAgain = await user.GetAsync(user.Events);                 // t = 10: calls at 5, 5, 10 fill it

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(HttpStatusCode.OK, third.Status);
        Assert.Equal(HttpStatusCode.Forbidden, spent.Status);
        Assert.Equal(TimeSpan.FromSeconds(1), spent.Message.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, oldestLeft.Status);
        Assert.Equal(HttpStatusCode.Forbidden, spentAgain.Status);
        Assert.Equal(TimeSpan.FromSeconds(5), spentAgain.Message.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task Stats_count_quota_rejections_and_the_peak_of_calls_in_any_window()
    {
        var user = await fixture.NewUserAsync();
        var other = await fixture.NewUserAsync();
        await PostAsync("emulator/stats/reset");
        await PutFaultsAsync(new JsonObject { ["quotaPerUserPerMinute"] = 3, ["quotaWindowSeconds"] = 10, ["quotaStatus"] = 429 });

        for (var i = 0; i < 2; i++)
        {
            await user.GetAsync(user.Events);                              // t = 0: 2 accepted
        }

        fixture.Clock.Advance(TimeSpan.FromSeconds(6));
        await BatchAsync(user, parts: 3);                                  // t = 6: 1 accepted, 2 rejected; 5 calls in (-4, 6]
        fixture.Clock.Advance(TimeSpan.FromSeconds(6));
        await user.GetAsync(user.Events);                                  // t = 12: accepted (the window (2, 12] held 1 accepted call)
        await user.GetAsync(user.Events);                                  // t = 12: accepted, the third
        var limited = await user.GetAsync(user.Events);                    // t = 12: rejected; 6 calls arrived in (2, 12], the peak
        await other.GetAsync(other.Events);

        var stats = JsonNode.Parse(await fixture.Http.GetStringAsync("emulator/stats"))!;
        var mine = stats["accounts"]![user.Email]!;
        var theirs = stats["accounts"]![other.Email]!;
        await PostAsync("emulator/stats/reset");
        var after = JsonNode.Parse(await fixture.Http.GetStringAsync("emulator/stats"))!;

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal(8, mine["total"]!.GetValue<int>());
        Assert.Equal(3, mine["rateLimited"]!.GetValue<int>());
        Assert.Equal(6, mine["peakPerQuotaWindow"]!.GetValue<int>());
        Assert.Equal(0, theirs["rateLimited"]!.GetValue<int>());
        Assert.Equal(1, theirs["peakPerQuotaWindow"]!.GetValue<int>());
        Assert.Equal(3, stats["rateLimited"]!.GetValue<int>());
        Assert.Equal(0, after["rateLimited"]!.GetValue<int>());
        Assert.Null(after["accounts"]![user.Email]);
    }

    [Fact]
    public async Task Injected_rate_limit_errors_are_not_counted_as_quota_rejections()
    {
        var user = await fixture.NewUserAsync();
        await PutFaultsAsync(new JsonObject { ["failNext"] = 2, ["errorStatuses"] = new JsonArray(429) });

        var injected = await user.GetAsync(user.Events);
        await user.GetAsync(user.Events);

        var mine = JsonNode.Parse(await fixture.Http.GetStringAsync("emulator/stats"))!["accounts"]![user.Email]!;
        Assert.Equal(HttpStatusCode.TooManyRequests, injected.Status);
        Assert.Equal(0, mine["rateLimited"]!.GetValue<int>());
        Assert.Equal(2, mine["peakPerQuotaWindow"]!.GetValue<int>());
    }

    private async Task BatchAsync(GoogleUser user, int parts)
    {
        var part = string.Join("\r\n", "--q", "Content-Type: application/http", "", $"GET /{user.Events}", "", "");
        using var request = new HttpRequestMessage(HttpMethod.Post, "batch/calendar/v3")
        {
            Content = new StringContent(string.Concat(Enumerable.Repeat(part, parts)) + "--q--\r\n"),
        };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/mixed; boundary=q");
        request.Headers.Authorization = new("Bearer", user.AccessToken);
        using var response = await fixture.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private async Task PostAsync(string path)
    {
        using var response = await fixture.Http.PostAsync(path, null);
        response.EnsureSuccessStatusCode();
    }

    private async Task<JsonNode> PutFaultsAsync(JsonObject body)
    {
        using var response = await fixture.Http.PutAsJsonAsync("emulator/faults", body);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
