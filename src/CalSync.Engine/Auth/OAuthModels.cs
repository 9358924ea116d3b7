using System.Text.Json.Serialization;

namespace CalSync.Engine.Auth;

/// <summary>
/// Where to send the browser, and what to keep (server side or in an encrypted, HttpOnly cookie) until the
/// callback: the <see cref="State"/> to compare and the PKCE <see cref="CodeVerifier"/> for the code exchange.
/// </summary>
public sealed record AuthorizationRequest(Uri Url, string State, string CodeVerifier)
{
    public override string ToString() => "AuthorizationRequest { (redacted) }";
}

/// <summary>Tokens from Google's token endpoint. Secrets: never logged (ToString is redacted).</summary>
public sealed record OAuthTokens
{
    public required string AccessToken { get; init; }

    /// <summary>Present on a code exchange with offline access; usually absent on a refresh.</summary>
    public string? RefreshToken { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Granted scopes, space-separated.</summary>
    public string Scope { get; init; } = "";

    public override string ToString() => $"OAuthTokens {{ ExpiresAt = {ExpiresAt:O}, Scope = {Scope}, HasRefreshToken = {RefreshToken is not null} }}";
}

/// <summary>Who signed in, from the userinfo endpoint; <see cref="Subject"/> is Google's stable user id.</summary>
public sealed record GoogleIdentity(string Subject, string Email, string? Name, bool EmailVerified);

internal sealed record TokenEndpointResponse
{
    [JsonPropertyName("access_token")] public string? AccessToken { get; init; }
    [JsonPropertyName("refresh_token")] public string? RefreshToken { get; init; }
    [JsonPropertyName("expires_in")] public long? ExpiresIn { get; init; }
    [JsonPropertyName("scope")] public string? Scope { get; init; }
    [JsonPropertyName("token_type")] public string? TokenType { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("error_description")] public string? ErrorDescription { get; init; }
}

internal sealed record UserInfoResponse
{
    [JsonPropertyName("sub")] public string? Subject { get; init; }
    [JsonPropertyName("email")] public string? Email { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("email_verified")] public bool? EmailVerified { get; init; }
}

[JsonSerializable(typeof(TokenEndpointResponse))]
[JsonSerializable(typeof(UserInfoResponse))]
internal sealed partial class OAuthJsonContext : JsonSerializerContext;
