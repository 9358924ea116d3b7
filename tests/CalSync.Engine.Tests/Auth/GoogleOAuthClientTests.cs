using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Web;
using CalSync.Engine.Auth;
using CalSync.Engine.Tests.Google;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CalSync.Engine.Tests.Auth;

public sealed class GoogleOAuthClientTests
{
    private static GoogleOAuthClient Client(FakeHandler handler) => new(
        new FakeHttpClientFactory(handler),
        Options.Create(new GoogleOAuthOptions { ClientId = "client-1", ClientSecret = "s3cret" }),
        TimeProvider.System,
        NullLogger<GoogleOAuthClient>.Instance);

    [Fact]
    public void CreateAuthorizationRequest_HasPkceS256StateOfflineConsentAndLoginHint()
    {
        using var handler = new FakeHandler(_ => throw new InvalidOperationException());
        var request = Client(handler).CreateAuthorizationRequest(new Uri("http://127.0.0.1:8033/auth/callback"), "alice@example.com");

        var query = HttpUtility.ParseQueryString(request.Url.Query);
        Assert.Equal("https://accounts.google.com/o/oauth2/v2/auth", request.Url.GetLeftPart(UriPartial.Path));
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("client-1", query["client_id"]);
        Assert.Equal("http://127.0.0.1:8033/auth/callback", query["redirect_uri"]);
        Assert.Equal("openid email profile https://www.googleapis.com/auth/calendar", query["scope"]);
        Assert.Equal(request.State, query["state"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        var expected = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(request.CodeVerifier)));
        Assert.Equal(expected, query["code_challenge"]);
        Assert.Equal("offline", query["access_type"]);
        Assert.Equal("consent", query["prompt"]);
        Assert.Equal("true", query["include_granted_scopes"]);
        Assert.Equal("alice@example.com", query["login_hint"]);
        Assert.InRange(request.CodeVerifier.Length, 43, 128);
        Assert.DoesNotContain(request.CodeVerifier, request.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshAsync_InvalidGrant_ThrowsNonRetryableInvalidGrant()
    {
        using var handler = new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.BadRequest, """{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"""));

        var error = await Assert.ThrowsAsync<GoogleOAuthException>(() => Client(handler).RefreshAsync("1//rt", CancellationToken.None));

        Assert.True(error.IsInvalidGrant);
        Assert.False(error.IsRetryable);
        Assert.DoesNotContain("1//rt", error.Message, StringComparison.Ordinal);
        Assert.Equal("grant_type=refresh_token&refresh_token=1%2F%2Frt&client_id=client-1&client_secret=s3cret", handler.Requests.Single().Body);
    }

    [Fact]
    public async Task ExchangeCodeAsync_ReadsTokensAndRedactsToString()
    {
        using var handler = new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.OK,
            """{"access_token":"ya29.at","refresh_token":"1//rt","expires_in":3599,"scope":"openid email","token_type":"Bearer"}"""));

        var tokens = await Client(handler).ExchangeCodeAsync("code-1", "verifier-1", new Uri("http://localhost/cb"), CancellationToken.None);

        Assert.Equal("ya29.at", tokens.AccessToken);
        Assert.Equal("1//rt", tokens.RefreshToken);
        Assert.DoesNotContain("ya29", tokens.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("1//rt", tokens.ToString(), StringComparison.Ordinal);
        Assert.Contains("code_verifier=verifier-1", handler.Requests.Single().Body, StringComparison.Ordinal);
    }
}
