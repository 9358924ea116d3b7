using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Tests.Kit;
using Microsoft.AspNetCore.WebUtilities;

namespace CalSync.GoogleEmulator.Tests;

public sealed class OAuthTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string ClientId = "calsync-dev";
    private const string Secret = "calsync-dev-secret";
    private const string Scope = "openid email https://www.googleapis.com/auth/calendar";

    private static readonly string RedirectUri = "http://127.0.0.1:8033/auth/callback";

    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Login_hint_of_a_known_account_redirects_at_once_with_code_and_state()
    {
        var user = await fixture.NewUserAsync();

        var location = await AuthorizeAsync(user.Email, "xyz-state");

        Assert.StartsWith(RedirectUri + "?", location.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("xyz-state", query["state"]);
        Assert.StartsWith("4/", query["code"].ToString(), StringComparison.Ordinal);
        Assert.Equal(Scope, query["scope"]);
    }

    [Fact]
    public async Task Unknown_login_hint_shows_an_account_picker()
    {
        var user = await fixture.NewUserAsync();
        using var response = await Http.GetAsync(AuthUrl("nobody@example.com", "s") + "");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(WebUtility.HtmlEncode(user.Email), html, StringComparison.Ordinal);
        Assert.Contains("login_hint=", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_exchange_with_S256_verifier_issues_tokens_and_id_token()
    {
        var user = await fixture.NewUserAsync();
        var verifier = "verifier-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var code = Code(await AuthorizeAsync(user.Email, "s", ("code_challenge", challenge), ("code_challenge_method", "S256")));

        var (status, token) = await TokenAsync(("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri),
            ("client_id", ClientId), ("client_secret", Secret), ("code_verifier", verifier));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3599, token["expires_in"]!.GetValue<int>());
        Assert.Equal("Bearer", token["token_type"]!.GetValue<string>());
        Assert.NotNull(token["refresh_token"]);
        var claims = JsonNode.Parse(Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(token["id_token"]!.GetValue<string>().Split('.')[1])))!;
        Assert.Equal(user.Email, claims["email"]!.GetValue<string>());
        Assert.Equal(ClientId, claims["aud"]!.GetValue<string>());

        using var request = new HttpRequestMessage(HttpMethod.Get, "oauth2/v3/userinfo");
        request.Headers.Authorization = new("Bearer", token["access_token"]!.GetValue<string>());
        using var info = await Http.SendAsync(request);
        var userInfo = JsonNode.Parse(await info.Content.ReadAsStringAsync())!;
        Assert.Equal(user.Email, userInfo["email"]!.GetValue<string>());
        Assert.True(userInfo["email_verified"]!.GetValue<bool>());
        Assert.Equal(claims["sub"]!.GetValue<string>(), userInfo["sub"]!.GetValue<string>());
    }

    [Fact]
    public async Task Code_exchange_with_plain_verifier_succeeds_and_a_reused_code_is_invalid_grant()
    {
        var user = await fixture.NewUserAsync();
        var code = Code(await AuthorizeAsync(user.Email, "s", ("code_challenge", "plain-verifier-123456789012345678901234567890"), ("code_challenge_method", "plain")));
        (string, string)[] form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri),
            ("client_id", ClientId), ("client_secret", Secret), ("code_verifier", "plain-verifier-123456789012345678901234567890")];

        var (first, _) = await TokenAsync(form);
        var (second, error) = await TokenAsync(form);

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.BadRequest, second);
        Assert.Equal("invalid_grant", error["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wrong_code_verifier_is_invalid_grant()
    {
        var user = await fixture.NewUserAsync();
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes("right-verifier-0123456789012345678901234567890")));
        var code = Code(await AuthorizeAsync(user.Email, "s", ("code_challenge", challenge), ("code_challenge_method", "S256")));

        var (status, error) = await TokenAsync(("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri),
            ("client_id", ClientId), ("client_secret", Secret), ("code_verifier", "wrong-verifier-0123456789012345678901234567890"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", error["error"]!.GetValue<string>());
        Assert.Equal("Invalid code verifier.", error["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refresh_issues_a_new_access_token_and_revoke_makes_refresh_invalid_grant()
    {
        var user = await fixture.NewUserAsync();

        var (refreshed, token) = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", user.RefreshToken),
            ("client_id", ClientId), ("client_secret", Secret));
        using var revoke = await Http.PostAsync($"revoke?token={Uri.EscapeDataString(user.RefreshToken)}", null);
        var (afterRevoke, error) = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", user.RefreshToken),
            ("client_id", ClientId), ("client_secret", Secret));
        var calendarCall = await user.GetAsync("calendar/v3/colors");

        Assert.Equal(HttpStatusCode.OK, refreshed);
        Assert.NotEqual(user.AccessToken, token["access_token"]!.GetValue<string>());
        Assert.Null(token["refresh_token"]);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, afterRevoke);
        Assert.Equal("invalid_grant", error["error"]!.GetValue<string>());
        Assert.Equal("Token has been expired or revoked.", error["error_description"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, calendarCall.Status);
        Assert.Equal("authError", calendarCall.Reason);
    }

    [Fact]
    public async Task Unknown_client_is_invalid_client()
    {
        var (status, error) = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", "x"), ("client_id", "nope"), ("client_secret", "x"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", error["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wrong_secret_is_invalid_client_and_unknown_grant_type_is_unsupported()
    {
        var (badSecret, e1) = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", "x"), ("client_id", ClientId), ("client_secret", "bad"));
        var (badGrant, e2) = await TokenAsync(("grant_type", "password"), ("client_id", ClientId), ("client_secret", Secret));

        Assert.Equal(HttpStatusCode.Unauthorized, badSecret);
        Assert.Equal("invalid_client", e1["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, badGrant);
        Assert.Equal("unsupported_grant_type", e2["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unregistered_redirect_uri_is_refused_at_authorization_and_a_different_one_at_exchange()
    {
        var user = await fixture.NewUserAsync();
        using var refused = await Http.GetAsync(AuthUrl(user.Email, "s").Replace(Uri.EscapeDataString(RedirectUri), Uri.EscapeDataString("https://evil.example.com/cb"), StringComparison.Ordinal));
        var code = Code(await AuthorizeAsync(user.Email, "s"));

        var (status, error) = await TokenAsync(("grant_type", "authorization_code"), ("code", code),
            ("redirect_uri", "http://localhost:8033/auth/callback"), ("client_id", ClientId), ("client_secret", Secret));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("redirect_uri_mismatch", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("redirect_uri_mismatch", error["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Loopback_redirect_on_any_port_is_accepted_for_the_test_client()
    {
        var user = await fixture.NewUserAsync();
        var url = AuthUrl(user.Email, "s").Replace(Uri.EscapeDataString(RedirectUri), Uri.EscapeDataString("http://127.0.0.1:54321/auth/callback"), StringComparison.Ordinal);

        using var response = await Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://127.0.0.1:54321/auth/callback?", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_without_a_calendar_scope_is_403_insufficient_permissions()
    {
        var user = await fixture.NewUserAsync();
        var url = AuthUrl(user.Email, "s").Replace(Uri.EscapeDataString(Scope), Uri.EscapeDataString("openid email"), StringComparison.Ordinal);
        using var authorize = await Http.GetAsync(url);
        var (_, token) = await TokenAsync(("grant_type", "authorization_code"), ("code", Code(authorize.Headers.Location!)),
            ("redirect_uri", RedirectUri), ("client_id", ClientId), ("client_secret", Secret));
        var limited = new GoogleUser(Http, user.Email, token["access_token"]!.GetValue<string>(), "");

        var reply = await limited.GetAsync(limited.Events);

        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal("insufficientPermissions", reply.Reason);
    }

    [Fact]
    public async Task Cancelling_on_the_account_page_redirects_with_access_denied()
    {
        using var response = await Http.GetAsync(AuthUrl("nobody@example.com", "st") + "&deny=1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("st", query["state"]);
    }

    [Fact]
    public async Task Prompt_none_without_a_known_account_redirects_with_login_required()
    {
        using var response = await Http.GetAsync(AuthUrl("nobody@example.com", "st").Replace("prompt=consent", "prompt=none", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("login_required", QueryHelpers.ParseQuery(response.Headers.Location!.Query)["error"]);
    }

    private static string AuthUrl(string loginHint, string state, params (string Key, string Value)[] extra)
    {
        var query = new Dictionary<string, string?>
        {
            ["access_type"] = "offline", ["prompt"] = "consent", ["scope"] = Scope, ["state"] = state, ["response_type"] = "code",
            ["client_id"] = ClientId, ["redirect_uri"] = RedirectUri, ["login_hint"] = loginHint,
        };
        foreach (var (key, value) in extra)
        {
            query[key] = value;
        }

        return QueryHelpers.AddQueryString("o/oauth2/v2/auth", query);
    }

    private async Task<Uri> AuthorizeAsync(string loginHint, string state, params (string Key, string Value)[] extra)
    {
        using var response = await Http.GetAsync(AuthUrl(loginHint, state, extra));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    private static string Code(Uri location) => QueryHelpers.ParseQuery(location.Query)["code"].ToString();

    private async Task<(HttpStatusCode Status, JsonNode Body)> TokenAsync(params (string Key, string Value)[] form)
    {
        using var content = new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Key, f.Value)));
        using var response = await Http.PostAsync("token", content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
