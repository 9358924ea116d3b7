using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CalSync.Engine.Auth;

/// <summary>
/// Google's OAuth 2.0 web-server flow with PKCE (S256): authorization URL, code exchange, refresh, revoke and the
/// signed-in identity (userinfo). A few form posts, written directly rather than through Google.Apis.Auth, whose
/// flow objects want their own token store. Tokens never reach logs or exception messages.
/// </summary>
public sealed partial class GoogleOAuthClient(
    IHttpClientFactory httpClients, IOptions<GoogleOAuthOptions> options, TimeProvider time, ILogger<GoogleOAuthClient> logger)
{
    public const string HttpClientName = "CalSync.GoogleOAuth";

    private GoogleOAuthOptions Options => options.Value;

    /// <summary>
    /// The URL to send the browser to, with <c>access_type=offline</c> and <c>prompt=consent</c> (so Google issues a
    /// refresh token every time), <c>include_granted_scopes=true</c>, a fresh <c>state</c> and an S256 PKCE challenge.
    /// </summary>
    public AuthorizationRequest CreateAuthorizationRequest(Uri redirectUri, string? loginHint = null)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        var state = RandomToken(32);
        var verifier = RandomToken(48);
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var query = new StringBuilder()
            .Append("?response_type=code")
            .Append("&client_id=").Append(Uri.EscapeDataString(Options.ClientId))
            .Append("&redirect_uri=").Append(Uri.EscapeDataString(redirectUri.ToString()))
            .Append("&scope=").Append(Uri.EscapeDataString(string.Join(' ', Options.Scopes)))
            .Append("&state=").Append(state)
            .Append("&code_challenge=").Append(challenge)
            .Append("&code_challenge_method=S256")
            .Append("&access_type=offline")
            .Append("&prompt=consent")
            .Append("&include_granted_scopes=true");
        if (!string.IsNullOrEmpty(loginHint))
        {
            query.Append("&login_hint=").Append(Uri.EscapeDataString(loginHint));
        }
        return new AuthorizationRequest(new Uri(Options.AuthorizationEndpoint + query.ToString()), state, verifier);
    }

    /// <summary>Exchanges the callback's code (with the PKCE verifier kept since the redirect) for tokens.</summary>
    public async Task<OAuthTokens> ExchangeCodeAsync(string code, string codeVerifier, Uri redirectUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        var tokens = await PostTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["code_verifier"] = codeVerifier,
            ["redirect_uri"] = redirectUri.ToString(),
            ["client_id"] = Options.ClientId,
            ["client_secret"] = Options.ClientSecret,
        }, cancellationToken);
        LogExchanged(tokens.RefreshToken is not null, tokens.Scope);
        return tokens;
    }

    /// <summary>A new access token; <c>invalid_grant</c> (revoked or expired grant) throws <see cref="GoogleOAuthException"/> with <see cref="GoogleOAuthException.IsInvalidGrant"/>.</summary>
    public async Task<OAuthTokens> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var tokens = await PostTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = Options.ClientId,
            ["client_secret"] = Options.ClientSecret,
        }, cancellationToken);
        LogRefreshed(tokens.ExpiresAt);
        return tokens;
    }

    /// <summary>Revokes a refresh (or access) token; the token travels in the form body, never in a logged URL.</summary>
    public async Task RevokeAsync(string token, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token });
        using var response = await Send(client => client.PostAsync(Options.RevokeEndpoint, content, cancellationToken), "revoke");
        // 400 invalid_token means it is revoked already, which is what the caller wants.
        if (!response.IsSuccessStatusCode && (int)response.StatusCode != 400)
        {
            throw new GoogleOAuthException("revoke_failed", null, (int)response.StatusCode);
        }
        LogRevoked((int)response.StatusCode);
    }

    /// <summary>Who the access token belongs to (OpenID Connect userinfo).</summary>
    public async Task<GoogleIdentity> GetIdentityAsync(string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Options.UserInfoEndpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await Send(client => client.SendAsync(request, cancellationToken), "userinfo");
        if (!response.IsSuccessStatusCode)
        {
            throw new GoogleOAuthException("userinfo_failed", null, (int)response.StatusCode);
        }
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var info = JsonSerializer.Deserialize(body, OAuthJsonContext.Default.UserInfoResponse);
        return info is { Subject: { Length: > 0 } sub, Email: { Length: > 0 } email }
            ? new GoogleIdentity(sub, email, info.Name, info.EmailVerified ?? false)
            : throw new GoogleOAuthException("userinfo_incomplete", "The userinfo answer lacks sub or email.", (int)response.StatusCode);
    }

    private async Task<OAuthTokens> PostTokenAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await Send(client => client.PostAsync(Options.TokenEndpoint, content, cancellationToken), form["grant_type"]);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        TokenEndpointResponse? parsed;
        try
        {
            parsed = body.Length == 0 ? null : JsonSerializer.Deserialize(body, OAuthJsonContext.Default.TokenEndpointResponse);
        }
        catch (JsonException)
        {
            parsed = null;
        }
        if (!response.IsSuccessStatusCode || parsed?.AccessToken is null)
        {
            var error = parsed?.Error ?? "token_endpoint_failed";
            LogTokenError(form["grant_type"], (int)response.StatusCode, error);
            throw new GoogleOAuthException(error, parsed?.ErrorDescription, (int)response.StatusCode);
        }
        return new OAuthTokens
        {
            AccessToken = parsed.AccessToken,
            RefreshToken = parsed.RefreshToken,
            ExpiresAt = time.GetUtcNow().AddSeconds(parsed.ExpiresIn ?? 3600),
            Scope = parsed.Scope ?? "",
        };
    }

    private async Task<HttpResponseMessage> Send(Func<HttpClient, Task<HttpResponseMessage>> send, string what)
    {
        try
        {
            return await send(httpClients.CreateClient(HttpClientName));
        }
        catch (HttpRequestException ex)
        {
            throw new GoogleOAuthException($"{what}_unreachable", null, null, ex);
        }
    }

    private static string RandomToken(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));


    [LoggerMessage(Level = LogLevel.Information, Message = "Exchanged an authorization code (refresh token issued: {HasRefreshToken}; scopes {Scopes})")]
    private partial void LogExchanged(bool hasRefreshToken, string scopes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refreshed a Google access token valid until {ExpiresAt}")]
    private partial void LogRefreshed(DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoked a Google token (status {Status})")]
    private partial void LogRevoked(int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Google's token endpoint refused {GrantType}: {Status} {Error}")]
    private partial void LogTokenError(string grantType, int status, string error);
}
