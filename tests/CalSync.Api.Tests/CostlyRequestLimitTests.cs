using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CalSync.Api.Tests;

/// <summary>
/// What spends Google quota or stores rows — creating and changing syncs, listing calendars, creating tokens, connecting
/// accounts — is limited per person (429 with Retry-After); bodies past 64 KB are refused with 413.
/// </summary>
public sealed class CostlyRequestLimitTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("create sync")]
    [InlineData("patch sync")]
    [InlineData("list calendars")]
    [InlineData("create token")]
    [InlineData("connect account")]
    [InlineData("reconnect account")]
    public async Task Past_the_limit_a_person_gets_429_with_retry_after_and_others_are_not_held_up(string call)
    {
        // Two a minute: one permit comes back every 30 s, far longer than this test takes.
        await using var api = fixture.Api.WithWebHostBuilder(web => web.UseSetting("CostlyRequests:PermitsPerMinute", "2"));
        var alice = await fixture.NewUserAsync(extraAccounts: 1);
        var bob = await fixture.NewUserAsync(extraAccounts: 1);
        var aliceSync = (await alice.CreateSyncAsync()).GetProperty("id").GetGuid();
        var bobSync = (await bob.CreateSyncAsync()).GetProperty("id").GetGuid();
        using var aliceClient = ClientOf(api, alice);
        using var bobClient = ClientOf(api, bob);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last?.Dispose();
            last = await SendAsync(aliceClient, call, alice, aliceSync, i);
            statuses.Add(last.StatusCode);
        }
        using var bobs = await SendAsync(bobClient, call, bob, bobSync, 0);

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses[..2]);
        Assert.True(statuses[0] is not (>= HttpStatusCode.BadRequest), $"{call}: {statuses[0]}");
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[2]);
        Assert.InRange(int.Parse(last!.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 30);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, bobs.StatusCode);
        last.Dispose();
        // Reading is not limited.
        using var read = await aliceClient.GetAsync("/api/syncs");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/syncs")]
    [InlineData("PATCH", "/api/syncs/{sync}")]
    [InlineData("POST", "/api/syncs/{sync}/runs")]
    [InlineData("POST", "/api/tokens")]
    public async Task A_body_over_64_KB_is_refused_with_413(string method, string url)
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var syncId = (await user.CreateSyncAsync()).GetProperty("id").GetGuid();
        var before = await fixture.CountAsync();
        // Valid JSON, a name far too long: read, it would be a 400; unread, it is a 413.
        var body = $$"""{ "name": "{{new string('x', 64 * 1024)}}" }""";

        using var request = new HttpRequestMessage(new HttpMethod(method), url.Replace("{sync}", syncId.ToString(), StringComparison.Ordinal)) { Content = ApiSyncs.Json(body) };
        using var response = await user.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await fixture.CountAsync());
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_read()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 0);
        var body = $$"""{ "name": "{{new string('x', 60 * 1024)}}" }""";

        using var response = await user.Client.PostAsync("/api/tokens", ApiSyncs.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["name"], await ApiSyncs.ErrorKeysAsync(response));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string call, ApiUser user, Guid syncId, int i) => call switch
    {
        "create sync" => client.PostSyncAsync(ApiSyncs.OneWayBody(user, $"sync {i}")),
        "patch sync" => client.PatchSyncAsync(syncId, $$"""{ "name": "renamed {{i}}" }"""),
        "list calendars" => client.GetAsync($"/api/accounts/{user.Accounts[0].Id}/calendars"),
        "create token" => client.PostAsJsonAsync("/api/tokens", new { name = $"token {i}" }),
        "connect account" => client.GetAsync("/api/accounts/connect"),
        "reconnect account" => client.GetAsync($"/api/accounts/{user.Accounts[1].Id}/reconnect"),
        _ => throw new ArgumentOutOfRangeException(nameof(call)),
    };

    private static HttpClient ClientOf(WebApplicationFactory<Program> api, ApiUser user)
    {
        var client = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        return client;
    }
}
