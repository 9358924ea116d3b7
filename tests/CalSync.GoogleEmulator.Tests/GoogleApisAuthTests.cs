using System.Net;
using CalSync.GoogleEmulator.Tests.Kit;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Flows;
using Google.Apis.Auth.OAuth2.Responses;
using Microsoft.AspNetCore.WebUtilities;

namespace CalSync.GoogleEmulator.Tests;

/// <summary>Google's own .NET auth library, pointed at the emulator.</summary>
public sealed class GoogleApisAuthTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string RedirectUri = "http://127.0.0.1:8033/auth/callback";

    private sealed class EmulatorFlowInitializer(string root)
        : GoogleAuthorizationCodeFlow.Initializer(root + "o/oauth2/v2/auth", root + "token", root + "revoke");

    [Fact]
    public async Task Pkce_flow_exchange_refresh_and_revoke_work_with_google_apis_auth()
    {
        var user = await fixture.NewUserAsync();
        var flow = new PkceGoogleAuthorizationCodeFlow(new EmulatorFlowInitializer(fixture.Emulator.BaseUri.ToString())
        {
            ClientSecrets = new ClientSecrets { ClientId = "calsync-dev", ClientSecret = "calsync-dev-secret" },
            Scopes = ["openid", "email", "https://www.googleapis.com/auth/calendar"],
            LoginHint = user.Email,
            Prompt = "consent",
        });
        var url = flow.CreateAuthorizationCodeRequest(RedirectUri, out var verifier);
        url.State = "st";

        using var authorize = await fixture.Http.GetAsync(url.Build());
        var code = QueryHelpers.ParseQuery(authorize.Headers.Location!.Query)["code"].ToString();
        var token = await flow.ExchangeCodeForTokenAsync(user.Email, code, verifier, RedirectUri, CancellationToken.None);
        var credential = new UserCredential(flow, user.Email, token);
        var first = token.AccessToken;
        var refreshed = await credential.RefreshTokenAsync(CancellationToken.None);
        var second = credential.Token.AccessToken;
        await credential.RevokeTokenAsync(CancellationToken.None);
        var afterRevoke = await Assert.ThrowsAsync<TokenResponseException>(
            () => flow.RefreshTokenAsync(user.Email, token.RefreshToken, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        Assert.NotNull(token.RefreshToken);
        Assert.NotNull(token.IdToken);
        Assert.Equal(3599, token.ExpiresInSeconds);
        Assert.True(refreshed);
        Assert.NotEqual(first, second);
        Assert.Equal("invalid_grant", afterRevoke.Error.Error);
    }
}
