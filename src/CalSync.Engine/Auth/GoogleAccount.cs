namespace CalSync.Engine.Auth;

/// <summary>A connected Google account (no tokens: those stay encrypted in the store).</summary>
public sealed record GoogleAccount(Guid Id, Guid UserId, string GoogleSubject, string Email, string Status, string Scopes)
{
    public bool NeedsReauthorization => Status == GoogleAccountStatus.ReauthRequired;
}

/// <summary>Values of <c>google_accounts.status</c>.</summary>
public static class GoogleAccountStatus
{
    public const string Active = "active";

    /// <summary>Google refused the refresh token: unused until its owner connects it again.</summary>
    public const string ReauthRequired = "reauth_required";
}

/// <summary>The decrypted tokens of one account, for the credential only. ToString is redacted.</summary>
internal sealed record StoredTokens(Guid AccountId, string Status, string? AccessToken, DateTimeOffset? AccessTokenExpires, string? RefreshToken)
{
    public override string ToString() => $"StoredTokens {{ AccountId = {AccountId}, Status = {Status}, AccessTokenExpires = {AccessTokenExpires:O} }}";
}
