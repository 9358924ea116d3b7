using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CalSync.Api.Tests;

/// <summary>Run triggers are limited per person: past the limit, 429 with Retry-After and a problem body.</summary>
public sealed class RunTriggerLimitTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Triggers_past_the_limit_answer_429_with_retry_after_and_other_people_are_not_held_up()
    {
        // Two a minute: one token comes back every 30 s, far longer than this test takes.
        await using var api = fixture.Api.WithWebHostBuilder(web => web.UseSetting("RunTriggers:PermitsPerMinute", "2"));
        var alice = await fixture.NewUserAsync(extraAccounts: 1);
        var bob = await fixture.NewUserAsync(extraAccounts: 1);
        var aliceSync = (await alice.CreateSyncAsync()).GetProperty("id").GetGuid();
        var bobSync = (await bob.CreateSyncAsync()).GetProperty("id").GetGuid();
        using var aliceClient = ClientOf(api, alice);
        using var bobClient = ClientOf(api, bob);

        using var first = await aliceClient.PostAsync($"/api/syncs/{aliceSync}/runs", content: null);
        using var second = await aliceClient.PostAsync($"/api/syncs/{aliceSync}/runs", content: null);
        using var third = await aliceClient.PostAsync($"/api/syncs/{aliceSync}/runs", content: null);
        using var bobs = await bobClient.PostAsync($"/api/syncs/{bobSync}/runs", content: null);

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted], new[] { first.StatusCode, second.StatusCode });
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        var retryAfter = int.Parse(third.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 30);
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        var problem = await third.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.Accepted, bobs.StatusCode);
        // Reading is not limited.
        using var history = await aliceClient.GetAsync($"/api/syncs/{aliceSync}/runs");
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
    }

    private static HttpClient ClientOf(WebApplicationFactory<Program> api, ApiUser user)
    {
        var client = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        return client;
    }
}
