using CalSync.Engine.People;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalSync.Api.Auth;

/// <summary>Sign in with Google, Google's redirect back, and sign out.</summary>
public static class SignInApi
{
    public static WebApplication MapSignIn(this WebApplication app)
    {
        var auth = app.MapGroup("/auth").WithTags("Sign-in").AllowAnonymous();
        auth.MapGet("/login", LoginAsync)
            .RequireRateLimiting(SignInLimits.PolicyName)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesValidationProblem()
            .WithSummary("Sign in with Google: redirects to Google's consent page.")
            .WithDescription("`login_hint` (an email) is passed to Google, which skips the account chooser for a signed-in, consented user; " +
                "`returnTo` is a local path to land on afterwards (default `/`, the dashboard).");
        auth.MapGet("/callback", CallbackAsync)
            .RequireRateLimiting(SignInLimits.PolicyName)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Google's redirect back after consent (the registered OAuth redirect URI).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        auth.MapPost("/logout", LogoutAsync)
            .WithSummary("Ends the browser session (the cookie stops working everywhere at once).");
        return app;
    }

    private static async Task<Results<RedirectHttpResult, ValidationProblem>> LoginAsync(
        HttpContext http, SignInFlow flow, string? login_hint, string? returnTo, CancellationToken cancellationToken)
    {
        if (SignInFlow.CheckLoginHint(login_hint) is { } problem)
        {
            return problem;
        }
        var url = await flow.BeginAsync(http, PendingLogin.SignIn, null, login_hint, SignInFlow.SafeReturnTo(returnTo, "/"), cancellationToken);
        return TypedResults.Redirect(url.AbsoluteUri);
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> CallbackAsync(
        HttpContext http, SignInFlow flow, string? state, string? code, string? error, CancellationToken cancellationToken)
    {
        var result = await flow.CompleteAsync(http, state, code, error, cancellationToken);
        return result.RedirectTo is { } target
            ? TypedResults.Redirect(target)
            : TypedResults.Problem(title: "Sign-in failed", detail: result.Problem, statusCode: result.Status);
    }

    private static async Task<NoContent> LogoutAsync(HttpContext http, SessionStore sessions, CancellationToken cancellationToken)
    {
        if (http.Request.Cookies[CalSyncAuthentication.SessionCookie] is { Length: > 0 } secret)
        {
            await sessions.DeleteAsync(secret, cancellationToken);
        }
        http.Response.Cookies.Delete(CalSyncAuthentication.SessionCookie, new CookieOptions { Path = "/" });
        return TypedResults.NoContent();
    }
}
