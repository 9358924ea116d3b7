using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace CalSync.Api.Tests;

/// <summary>Signing in with Google through the real OAuth round trip against the emulator.</summary>
public sealed class SignInTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Signing_in_with_a_login_hint_creates_the_user_with_that_account_connected()
    {
        using var browser = fixture.Browser();
        var email = fixture.NewGoogleAccount("alice");

        using var signedIn = await fixture.SignInAsync(browser, email);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("calsync_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        var me = await browser.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.Equal("session", me.GetProperty("authenticatedBy").GetString());
        var account = Assert.Single((await browser.GetFromJsonAsync<JsonElement>("/api/accounts")).EnumerateArray());
        Assert.Equal((email, "active"), (account.GetProperty("email").GetString(), account.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Signing_in_again_is_the_same_person_and_an_account_they_connected_signs_in_as_nobody_else()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);

        using (var again = fixture.Browser())
        {
            using var _ = await fixture.SignInAsync(again, user.Accounts[0].Email);
            Assert.Equal(user.Id, (await again.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetGuid());
        }
        // Whoever can use the connected account (a shared family account, say) gets a CalSync of their own.
        using var other = fixture.Browser();
        using (var _ = await fixture.SignInAsync(other, user.Accounts[1].Email))
        {
            var me = await other.GetFromJsonAsync<JsonElement>("/api/me");
            Assert.NotEqual(user.Id, me.GetProperty("id").GetGuid());
        }
        var theirs = await other.GetFromJsonAsync<JsonElement>("/api/accounts");
        Assert.Equal([user.Accounts[1].Email], theirs.EnumerateArray().Select(a => a.GetProperty("email").GetString()));
        Assert.Equal(2, (await user.Client.GetFromJsonAsync<JsonElement>("/api/accounts")).GetArrayLength());
    }

    [Fact]
    public async Task Signing_out_ends_the_session_everywhere()
    {
        using var browser = fixture.Browser();
        using var signedIn = await fixture.SignInAsync(browser, fixture.NewGoogleAccount());
        var session = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("calsync_session=", StringComparison.Ordinal)).Split(';')[0];

        using var logout = await browser.PostAsync("/auth/logout", null);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        // The same cookie, replayed from elsewhere, no longer works: the session is gone server side.
        using var replay = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        replay.Headers.Add("Cookie", session);
        using var me = await fixture.Api.CreateClient(new() { HandleCookies = false }).SendAsync(replay);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task A_callback_without_state_is_rejected()
    {
        using var browser = fixture.Browser();
        var (callback, _) = await StartAsync(browser);

        using var response = await browser.GetAsync($"/auth/callback?code={Code(callback)}");

        await AssertRejectedAsync(response, "state");
    }

    [Fact]
    public async Task A_callback_whose_state_does_not_match_the_browser_is_rejected()
    {
        using var browser = fixture.Browser();
        var (callback, _) = await StartAsync(browser);

        using var response = await browser.GetAsync($"/auth/callback?state=forged&code={Code(callback)}");

        await AssertRejectedAsync(response, "state");
    }

    [Fact]
    public async Task A_callback_started_in_another_browser_is_rejected()
    {
        using var attacker = fixture.Browser();
        var (callback, _) = await StartAsync(attacker);
        using var victim = fixture.Browser();

        using var response = await victim.GetAsync(callback.PathAndQuery);

        await AssertRejectedAsync(response, "state");
    }

    [Fact]
    public async Task A_replayed_state_is_rejected()
    {
        using var browser = fixture.Browser();
        var (callback, state) = await StartAsync(browser);
        using (var first = await browser.GetAsync(callback.PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        // The callback deleted its cookie; a replay brings it back, and the state is spent anyway.
        using var replay = new HttpRequestMessage(HttpMethod.Get, callback.PathAndQuery);
        replay.Headers.Add("Cookie", $"calsync_oauth_state={state}");
        using var response = await fixture.Api.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false }).SendAsync(replay);

        await AssertRejectedAsync(response, "already used");
    }

    [Fact]
    public async Task A_code_exchanged_with_the_wrong_PKCE_verifier_is_rejected()
    {
        // Two logins in flight: the code of the first arrives with the state (and so the verifier) of the second.
        using var browser = fixture.Browser();
        var (first, _) = await StartAsync(browser);
        var (_, secondState) = await StartAsync(browser);

        using var response = await browser.GetAsync($"/auth/callback?state={secondState}&code={Uri.EscapeDataString(Code(first))}");

        await AssertRejectedAsync(response, "invalid_grant");
        using var me = await browser.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task Google_declining_consent_is_a_clear_error()
    {
        using var browser = fixture.Browser();
        var (_, state) = await StartAsync(browser);

        using var response = await browser.GetAsync($"/auth/callback?state={state}&error=access_denied");

        await AssertRejectedAsync(response, "access_denied");
    }

    [Fact]
    public async Task Sign_ins_past_the_limit_answer_429_with_retry_after()
    {
        // Two a minute per address: a token comes back every 30 s, far longer than this test takes.
        await using var api = fixture.Api.WithWebHostBuilder(web => web.UseSetting("SignIn:AttemptsPerMinute", "2"));
        using var browser = api.CreateClient(new() { AllowAutoRedirect = false });

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last?.Dispose();
            last = await browser.GetAsync("/auth/login?login_hint=someone%40example.com");
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], statuses);
        Assert.NotEmpty(last!.Headers.GetValues("Retry-After"));
        Assert.Contains("sign-in", await last.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        last.Dispose();
    }

    [Fact]
    public async Task The_login_redirect_asks_Google_for_offline_access_with_PKCE()
    {
        using var browser = fixture.Browser();

        using var login = await browser.GetAsync("/auth/login?login_hint=someone%40example.com");

        var query = QueryHelpers.ParseQuery(login.Headers.Location!.Query);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal("offline", query["access_type"]);
        Assert.Equal("consent", query["prompt"]);
        Assert.Equal("someone@example.com", query["login_hint"]);
        Assert.Equal("http://localhost/auth/callback", query["redirect_uri"]);
        Assert.Contains("https://www.googleapis.com/auth/calendar", query["scope"].ToString().Split(' '));
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("/%2F/evil.example")]
    [InlineData("/%252F%252Fevil.example")]
    [InlineData("/%09/evil.example")]
    [InlineData("%09//evil.example")]
    [InlineData("/%0A/evil.example")]
    [InlineData("/%0D/evil.example")]
    [InlineData("/%00/evil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("%5C%5Cevil.example")]
    [InlineData("/%255Cevil.example")]
    [InlineData("%2F%5Cevil.example")]
    [InlineData("%20//evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("https:evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.example")]
    [InlineData("~/x")]
    public async Task A_return_path_that_could_leave_the_site_lands_on_the_default_page(string returnTo)
    {
        using var browser = fixture.Browser();

        using var signedIn = await fixture.SignInAsync(browser, fixture.NewGoogleAccount(), $"/auth/login?returnTo={returnTo}");

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.GetValues("Location").Single());
    }

    [Theory]
    [InlineData("/api/syncs", "/api/syncs")]
    [InlineData("/api/syncs%3Fx%3D1%26y%3D2", "/api/syncs?x=1&y=2")]
    [InlineData("/a%20b/caf%C3%A9", "/a%20b/caf%C3%A9")]
    [InlineData("/%F0%9F%93%85", "/%F0%9F%93%85")]
    public async Task A_local_return_path_is_followed_percent_encoded(string returnTo, string location)
    {
        using var browser = fixture.Browser();

        using var signedIn = await fixture.SignInAsync(browser, fixture.NewGoogleAccount(), $"/auth/login?returnTo={returnTo}");

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(location, signedIn.Headers.GetValues("Location").Single());
    }

    /// <summary>Starts a sign-in and lets Google approve it; returns the callback URL (not yet visited) and its state.</summary>
    private async Task<(Uri Callback, string State)> StartAsync(HttpClient browser)
    {
        using var login = await browser.GetAsync($"/auth/login?login_hint={Uri.EscapeDataString(fixture.NewGoogleAccount())}");
        var callback = await ApiUsers.FollowGoogleAsync(login.Headers.Location!);
        return (callback, QueryHelpers.ParseQuery(callback.Query)["state"].ToString());
    }

    private static string Code(Uri callback) => QueryHelpers.ParseQuery(callback.Query)["code"].ToString();

    private static async Task AssertRejectedAsync(HttpResponseMessage response, string mentioning)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mentioning, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("calsync_session=", StringComparison.Ordinal));
    }
}
