using CalSync.Engine.Google;

namespace CalSync.Engine.Auth;

/// <summary>
/// Google's token endpoint refused or failed. <see cref="Error"/> is the OAuth error code
/// (<c>invalid_grant</c>, <c>invalid_client</c>, ...); 5xx and network failures are retryable.
/// </summary>
public sealed class GoogleOAuthException(string error, string? description, int? statusCode, Exception? innerException = null)
    : GoogleException($"Google OAuth failed: {error}{(description is null ? "" : $" ({description})")}.", innerException)
{
    public string Error { get; } = error;
    public int? StatusCode { get; } = statusCode;
    public bool IsInvalidGrant => Error == "invalid_grant";
    public override bool IsRetryable => StatusCode is null or >= 500 or 429;
}

/// <summary>
/// The account's refresh token no longer works (revoked, expired, or never stored): the account is marked
/// <c>reauth_required</c> and is not used until its owner connects it again. Not retryable.
/// </summary>
public sealed class ReauthRequiredException(Guid accountId)
    : GoogleException($"Google account {accountId} must be connected again: Google no longer accepts its authorisation.")
{
    public Guid AccountId { get; } = accountId;
    public override bool IsRetryable => false;
}
