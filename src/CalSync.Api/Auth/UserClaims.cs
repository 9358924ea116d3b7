using System.Globalization;
using System.Security.Claims;
using CalSync.Engine.People;

namespace CalSync.Api.Auth;

/// <summary>The signed-in CalSync user, as the authentication handler puts it on the request.</summary>
public static class UserClaims
{
    public const string UserIdClaim = "calsync:user";

    /// <summary>How the caller proved who they are: <c>session</c> (browser cookie) or <c>token</c> (personal access token).</summary>
    public const string MethodClaim = "calsync:auth";

    /// <summary>When the personal access token the caller used expires (round-trip format); absent: it does not.</summary>
    public const string TokenExpiresClaim = "calsync:token-expires";

    public static ClaimsPrincipal For(Guid userId, string method) =>
        new(new ClaimsIdentity([new Claim(UserIdClaim, userId.ToString()), new Claim(MethodClaim, method)], CalSyncAuthentication.SchemeName));

    public static ClaimsPrincipal ForToken(TokenOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var principal = For(owner.UserId, "token");
        if (owner.ExpiresAt is { } expires)
        {
            ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(TokenExpiresClaim, expires.ToString("O", CultureInfo.InvariantCulture)));
        }
        return principal;
    }

    /// <summary>When the caller's credential stops working, if it is a token with an expiry.</summary>
    public static DateTimeOffset? GetTokenExpiry(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirst(TokenExpiresClaim)?.Value is { } value
            ? DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
            : null;
    }

    /// <summary>The caller's user id; only call it behind <c>RequireAuthorization</c>.</summary>
    public static Guid GetUserId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirst(UserIdClaim)?.Value is { } value && Guid.TryParse(value, out var id)
            ? id
            : throw new InvalidOperationException("The request is not authenticated.");
    }
}
