namespace CalSync.GoogleEmulator.Store;

/// <summary>An issued bearer token and what it grants.</summary>
internal sealed record AccessToken(string Token, string Email, string ClientId, IReadOnlyList<string> Scopes,
    DateTimeOffset ExpiresAt, string? RefreshToken);

internal sealed record RefreshToken(string Token, string Email, string ClientId, IReadOnlyList<string> Scopes)
{
    public bool Revoked { get; set; }
}

/// <summary>A one-time authorization code with its PKCE challenge.</summary>
internal sealed record AuthorizationCode(string Code, string Email, string ClientId, string RedirectUri,
    IReadOnlyList<string> Scopes, string? CodeChallenge, string? CodeChallengeMethod, string? Nonce,
    bool Offline, DateTimeOffset ExpiresAt)
{
    public bool Used { get; set; }
}
