using System.Security.Claims;

namespace CalSync.Api.Auth;

/// <summary>The signed-in CalSync user, as the authentication handler puts it on the request.</summary>
public static class UserClaims
{
    public const string UserIdClaim = "calsync:user";

    /// <summary>How the caller proved who they are: <c>session</c> (browser cookie) or <c>token</c> (personal access token).</summary>
    public const string MethodClaim = "calsync:auth";

    public static ClaimsPrincipal For(Guid userId, string method) =>
        new(new ClaimsIdentity([new Claim(UserIdClaim, userId.ToString()), new Claim(MethodClaim, method)], CalSyncAuthentication.SchemeName));

    /// <summary>The caller's user id; only call it behind <c>RequireAuthorization</c>.</summary>
    public static Guid GetUserId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirst(UserIdClaim)?.Value is { } value && Guid.TryParse(value, out var id)
            ? id
            : throw new InvalidOperationException("The request is not authenticated.");
    }
}
