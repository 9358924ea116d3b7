using System.Globalization;
using System.Text;
using CalSync.Api.Hosting;
using CalSync.Engine.Auth;
using CalSync.Engine.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CalSync.Api.Auth;

/// <summary>Where a finished OAuth round trip leads: a redirect, or a problem to show (nothing was stored).</summary>
public sealed record SignInResult(string? RedirectTo, int Status = StatusCodes.Status302Found, string? Problem = null)
{
    public static SignInResult Fail(int status, string problem) => new(null, status, problem);
}

/// <summary>
/// The browser side of Google OAuth for signing in and for connecting more accounts: PKCE (S256), a one-time
/// <c>state</c> stored server side and bound to the browser by an HttpOnly cookie, and the exact redirect URI.
/// </summary>
public sealed partial class SignInFlow(
    GoogleOAuthClient oauth, OAuthLoginStore logins, UserStore users, GoogleAccountStore accounts, SessionStore sessions,
    IOptions<SignInOptions> options, ILogger<SignInFlow> logger)
{
    public const string CallbackPath = "/auth/callback";
    public const string StateCookie = "calsync_oauth_state";
    public const int MaxLoginHintLength = 320;

    /// <summary>Stores the login in flight and returns Google's authorization URL to redirect to.</summary>
    public async Task<Uri> BeginAsync(HttpContext http, string purpose, Guid? userId, string? loginHint, string returnTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var redirectUri = CallbackUri(http.Request);
        var request = oauth.CreateAuthorizationRequest(redirectUri, loginHint);
        await logins.SaveAsync(request.State, new PendingLogin { Purpose = purpose, UserId = userId, CodeVerifier = request.CodeVerifier, RedirectUri = redirectUri.ToString(), ReturnTo = returnTo }, cancellationToken);
        http.Response.Cookies.Append(StateCookie, request.State, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax, // Google's redirect back is a top-level navigation: Lax cookies go along.
            Secure = IsSecure(http.Request),
            Path = CallbackPath,
            MaxAge = OAuthLoginStore.Lifetime,
        });
        return request.Url;
    }

    /// <summary>Google's redirect back: checks the state, exchanges the code, then signs in or connects the account.</summary>
    public async Task<SignInResult> CompleteAsync(HttpContext http, string? state, string? code, string? error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (string.IsNullOrEmpty(state))
        {
            return SignInResult.Fail(400, "The callback has no 'state' parameter.");
        }
        // The cookie proves this browser started the login (no login CSRF); the store makes the state single-use.
        if (http.Request.Cookies[StateCookie] != state)
        {
            return SignInResult.Fail(400, "The 'state' parameter does not match this browser's sign-in; start again at /auth/login.");
        }
        var login = await logins.TakeAsync(state, cancellationToken);
        http.Response.Cookies.Delete(StateCookie, new CookieOptions { Path = CallbackPath });
        if (login is null)
        {
            return SignInResult.Fail(400, "The 'state' parameter is unknown, expired or already used; start again at /auth/login.");
        }
        if (!string.IsNullOrEmpty(error) || string.IsNullOrEmpty(code))
        {
            return SignInResult.Fail(400, $"Google did not authorise the request ({(string.IsNullOrEmpty(error) ? "no code" : error)}).");
        }

        OAuthTokens tokens;
        GoogleIdentity identity;
        try
        {
            tokens = await oauth.ExchangeCodeAsync(code, login.CodeVerifier, new Uri(login.RedirectUri), cancellationToken);
            identity = await oauth.GetIdentityAsync(tokens.AccessToken, cancellationToken);
        }
        catch (GoogleOAuthException ex) when (!ex.IsRetryable)
        {
            LogRefused(ex.Error);
            return SignInResult.Fail(400, $"Google refused the authorization code ({ex.Error}); start again.");
        }
        catch (GoogleOAuthException ex)
        {
            LogRefused(ex.Error);
            return SignInResult.Fail(502, "Google could not be reached to finish signing in; try again.");
        }

        if (login.Purpose == PendingLogin.Connect)
        {
            await accounts.ConnectAsync(login.UserId!.Value, identity, tokens, cancellationToken);
            return new SignInResult(login.ReturnTo);
        }
        var userId = await users.FindOrCreateAsync(identity, cancellationToken);
        await accounts.ConnectAsync(userId, identity, tokens, cancellationToken);
        var (secret, expires) = await sessions.CreateAsync(userId, cancellationToken);
        http.Response.Cookies.Append(CalSyncAuthentication.SessionCookie, secret, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = IsSecure(http.Request),
            Path = "/",
            Expires = expires,
        });
        return new SignInResult(login.ReturnTo);
    }

    /// <summary>A 400 naming <c>login_hint</c> when it is no email a person could have typed (it goes into Google's URL).</summary>
    public static ValidationProblem? CheckLoginHint(string? loginHint) =>
        loginHint is null || (loginHint.Length <= MaxLoginHintLength && PlainText.IsPlain(loginHint))
            ? null
            : TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["login_hint"] = [$"An email address of at most {MaxLoginHintLength} characters. {PlainText.Rule}"] },
                title: "The request is not valid.");

    /// <summary>
    /// A path on this site to return to after signing in, percent-encoded for the Location header; anything else lands
    /// on <paramref name="fallback"/>. Browsers drop tabs and line breaks and read a backslash as a slash, so
    /// <c>/%09/evil.example</c> or <c>/\evil.example</c> would leave the site: the value must pass the framework's
    /// local-URL check and hold no control character or backslash, both as given and decoded once more.
    /// </summary>
    public static string SafeReturnTo(string? returnTo, string fallback) =>
        returnTo is { Length: > 0 and <= 2048 } path && IsPlainLocalPath(path) && IsPlainLocalPath(Uri.UnescapeDataString(path))
            ? EscapeForLocation(path)
            : fallback;

    private static bool IsPlainLocalPath(string path) =>
        path[0] == '/' && RedirectHttpResult.IsLocalUrl(path) && PlainText.IsPlain(path) && !path.Contains('\\', StringComparison.Ordinal);

    /// <summary>Percent-encodes what may not stand in a URL (spaces, non-ASCII) and leaves the rest as given.</summary>
    private static string EscapeForLocation(string path)
    {
        var escaped = new StringBuilder(path.Length);
        foreach (var b in Encoding.UTF8.GetBytes(path))
        {
            if (b is > 0x20 and < 0x7F && !"\"<>`{|}^".Contains((char)b, StringComparison.Ordinal))
            {
                escaped.Append((char)b);
            }
            else
            {
                escaped.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return escaped.ToString();
    }

    // Behind a proxy that ends TLS the request itself is plain http; the public URL says how browsers connect.
    private bool IsSecure(HttpRequest request) => request.IsHttps || options.Value.PublicUrl?.Scheme == Uri.UriSchemeHttps;

    private Uri CallbackUri(HttpRequest request)
    {
        var root = options.Value.PublicUrl?.GetLeftPart(UriPartial.Authority) ?? $"{request.Scheme}://{request.Host}";
        return new Uri(root + CallbackPath);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Google sign-in could not be completed: {Error}")]
    private partial void LogRefused(string error);
}
