using System.Text.Encodings.Web;
using CalSync.Engine.People;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CalSync.Api.Auth;

/// <summary>
/// One scheme for both ways in: <c>Authorization: Bearer csk_…</c> (a personal access token) or the
/// <c>calsync_session</c> cookie of a browser that signed in with Google. Both are looked up by hash in
/// PostgreSQL, so any Api instance accepts them and revocation is immediate. Failures answer problem details.
/// </summary>
public sealed class CalSyncAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AccessTokenStore tokens, SessionStore sessions, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "CalSync";
    public const string SessionCookie = "calsync_session";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? authorization = Request.Headers.Authorization;
        if (!string.IsNullOrEmpty(authorization))
        {
            const string bearer = "Bearer ";
            if (!authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
            {
                return AuthenticateResult.Fail("Only Bearer personal access tokens are accepted.");
            }
            var owner = await tokens.FindOwnerAsync(authorization[bearer.Length..].Trim(), Context.RequestAborted);
            return owner is not null
                ? AuthenticateResult.Success(new AuthenticationTicket(UserClaims.ForToken(owner), SchemeName))
                : AuthenticateResult.Fail("The access token is unknown, revoked or expired.");
        }
        if (Request.Cookies[SessionCookie] is { Length: > 0 } cookie)
        {
            var userId = await sessions.FindUserAsync(cookie, Context.RequestAborted);
            return userId is { } id
                ? AuthenticateResult.Success(new AuthenticationTicket(UserClaims.For(id, "session"), SchemeName))
                : AuthenticateResult.Fail("The session has ended; sign in again.");
        }
        return AuthenticateResult.NoResult();
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Sign-in required",
                Detail = "Sign in at /auth/login, or send a personal access token as 'Authorization: Bearer <token>'.",
            },
        });
    }
}
