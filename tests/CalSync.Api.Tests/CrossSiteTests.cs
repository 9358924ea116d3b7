using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CalSync.Api.Tests;

/// <summary>
/// A page on another origin — another site, or another port of this host, which SameSite=Lax counts as the same site —
/// cannot make a signed-in browser change anything. Same-origin pages, scripts with a token and curl with a cookie jar can.
/// </summary>
public sealed class CrossSiteTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    /// <summary>What browsers send from another origin (TestServer's own origin is http://localhost).</summary>
    public static TheoryData<string, string> Foreign => new()
    {
        { "Origin", "https://evil.example" },
        { "Origin", "http://localhost:8080" },
        { "Origin", "https://localhost" },
        { "Origin", "null" },
        { "Sec-Fetch-Site", "cross-site" },
        { "Sec-Fetch-Site", "same-site" },
    };

    [Theory]
    [MemberData(nameof(Foreign))]
    public async Task A_cross_origin_browser_request_cannot_act_for_the_signed_in_person(string header, string value)
    {
        var (browser, syncId) = await SignedInWithASyncAsync();
        var before = await fixture.CountAsync();
        var sync = await browser.GetStringAsync($"/api/syncs/{syncId}");

        foreach (var (method, url, body) in StateChanging(syncId))
        {
            using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : ApiSyncs.Json(body) };
            request.Headers.Add(header, value);
            using var response = await browser.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {url}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(before, await fixture.CountAsync());
        Assert.Equal(sync, await browser.GetStringAsync($"/api/syncs/{syncId}"));
        // Reading is not an action: another origin cannot see the answer anyway.
        using var read = new HttpRequestMessage(HttpMethod.Get, "/api/syncs");
        read.Headers.Add(header, value);
        using var list = await browser.SendAsync(read);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Theory]
    [InlineData("Origin", "http://localhost")]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    [InlineData(null, null)]
    public async Task The_sites_own_pages_and_clients_that_send_no_origin_act_as_before(string? header, string? value)
    {
        var (browser, syncId) = await SignedInWithASyncAsync();

        foreach (var (method, url, body) in StateChanging(syncId))
        {
            using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : ApiSyncs.Json(body) };
            if (header is not null)
            {
                request.Headers.Add(header, value);
            }
            using var response = await browser.SendAsync(request);

            Assert.True((int)response.StatusCode is >= 200 and < 400, $"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task A_token_is_no_ambient_credential_so_its_requests_are_not_checked()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var syncId = (await user.CreateSyncAsync()).GetProperty("id").GetGuid();

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/syncs/{syncId}/runs");
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var response = await user.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task The_public_url_is_the_sites_origin_when_set()
    {
        // Behind a proxy on port 9999, say: the request's own host (localhost) is not where browsers are.
        await using var api = fixture.Api.WithWebHostBuilder(web => web.UseSetting("SignIn:PublicUrl", "http://localhost:9999"));
        using var browser = api.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        using (var _ = await fixture.SignInAsync(browser, fixture.NewGoogleAccount()))
        {
        }

        using var own = await PostTokenAsync(browser, "http://localhost:9999");
        using var local = await PostTokenAsync(browser, "http://localhost");

        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, local.StatusCode);
    }

    private static async Task<HttpResponseMessage> PostTokenAsync(HttpClient browser, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tokens") { Content = ApiSyncs.Json("""{ "name": "page" }""") };
        request.Headers.Add("Origin", origin);
        return await browser.SendAsync(request);
    }

    /// <summary>Every way a signed-in browser changes something, logging out last.</summary>
    private static (HttpMethod Method, string Url, string? Body)[] StateChanging(Guid syncId) =>
    [
        (HttpMethod.Post, "/api/tokens", """{ "name": "from a page" }"""),
        (HttpMethod.Patch, $"/api/syncs/{syncId}", """{ "name": "renamed" }"""),
        (HttpMethod.Post, $"/api/syncs/{syncId}/runs", null),
        (HttpMethod.Get, "/api/accounts/connect", null),
        (HttpMethod.Delete, $"/api/syncs/{syncId}", null),
        (HttpMethod.Post, "/auth/logout", null),
    ];

    private async Task<(HttpClient Browser, Guid SyncId)> SignedInWithASyncAsync()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var browser = fixture.Browser();
        using (var _ = await fixture.SignInAsync(browser, user.Accounts[0].Email))
        {
        }
        Assert.Equal(user.Id, (await browser.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetGuid());
        return (browser, (await user.CreateSyncAsync()).GetProperty("id").GetGuid());
    }
}
