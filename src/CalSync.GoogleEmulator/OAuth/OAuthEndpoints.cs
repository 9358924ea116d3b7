using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Store;
using Microsoft.AspNetCore.WebUtilities;

namespace CalSync.GoogleEmulator.OAuth;

/// <summary>Google's OAuth 2.0 / OpenID endpoints at Google's paths, so a client changes only its base URL.</summary>
internal static class OAuthEndpoints
{
    public static IEndpointRouteBuilder MapOAuth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/o/oauth2/v2/auth", Authorize);
        app.MapGet("/o/oauth2/auth", Authorize);
        app.MapPost("/token", TokenEndpoint.HandleAsync);
        app.MapPost("/o/oauth2/token", TokenEndpoint.HandleAsync);
        // Google.Apis.Auth revokes with GET in older releases and POST in newer ones; both carry ?token=.
        app.MapMethods("/revoke", ["GET", "POST"], RevokeAsync);
        app.MapMethods("/o/oauth2/revoke", ["GET", "POST"], RevokeAsync);
        app.MapOpenId();
        return app;
    }

    private static IResult Authorize(HttpRequest request, EmulatorState state, TokenIssuer issuer)
    {
        var q = request.Query;
        var client = issuer.Client(q["client_id"]);
        if (client is null)
        {
            return ErrorPage(401, "invalid_client", "The OAuth client was not found.");
        }

        string? redirectUri = q["redirect_uri"];
        if (!client.Accepts(redirectUri))
        {
            return ErrorPage(400, "redirect_uri_mismatch",
                $"You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. redirect_uri={redirectUri}");
        }

        string? state0 = q["state"];
        if (q["response_type"] != "code")
        {
            return Redirect(redirectUri!, ("error", "unsupported_response_type"), ("state", state0));
        }

        if (string.IsNullOrWhiteSpace(q["scope"]))
        {
            return ErrorPage(400, "invalid_request", "Missing required parameter: scope");
        }

        var method = q["code_challenge_method"].ToString();
        if (!string.IsNullOrEmpty(q["code_challenge"]) && method is not ("" or "S256" or "plain"))
        {
            return ErrorPage(400, "invalid_request", "Invalid code_challenge_method value.");
        }

        // prompt=none must not show UI: without an account to approve at once, Google answers login_required.
        var silent = q["prompt"].ToString().Split(' ').Contains("none");
        if (q["deny"] == "1")
        {
            return Redirect(redirectUri!, ("error", "access_denied"), ("state", state0));
        }

        lock (state.Gate)
        {
            // A login_hint naming a known account is approved at once, like a signed-in user who already consented.
            if (q["login_hint"].ToString() is { Length: > 0 } hint && state.Accounts.TryGetValue(hint, out var account))
            {
                var scopes = q["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var code = "4/" + EmulatorState.RandomToken(40);
                state.AuthorizationCodes[code] = new AuthorizationCode(code, account.Email, client.ClientId, redirectUri!, scopes,
                    NullIfEmpty(q["code_challenge"]), string.IsNullOrEmpty(q["code_challenge"]) ? null : (method is "" ? "plain" : method),
                    NullIfEmpty(q["nonce"]), q["access_type"] == "offline", state.Now.AddMinutes(10));
                return Redirect(redirectUri!, ("state", state0), ("code", code), ("scope", string.Join(' ', scopes)),
                    ("authuser", "0"), ("prompt", "consent"));
            }

            if (silent)
            {
                return Redirect(redirectUri!, ("error", "login_required"), ("state", state0));
            }

            return Results.Content(AccountPicker.Render(request, [.. state.Accounts.Values]), "text/html; charset=utf-8");
        }
    }

    private static async Task<IResult> RevokeAsync(HttpRequest request, EmulatorState state)
    {
        string? token = request.Query["token"];
        if (token is null && request.HasFormContentType)
        {
            token = (await request.ReadFormAsync())["token"];
        }

        lock (state.Gate)
        {
            if (token is not null && state.RefreshTokens.TryGetValue(token, out var refresh) && !refresh.Revoked)
            {
                Revoke(state, refresh);
                return Results.Json(new JsonObject());
            }

            if (token is not null && state.AccessTokens.Remove(token, out var access))
            {
                // Revoking an access token revokes the grant, including its refresh token.
                if (access.RefreshToken is not null && state.RefreshTokens.TryGetValue(access.RefreshToken, out var parent))
                {
                    Revoke(state, parent);
                }

                return Results.Json(new JsonObject());
            }
        }

        return Results.Json(new JsonObject { ["error"] = "invalid_token", ["error_description"] = "Token expired or revoked" }, statusCode: 400);
    }

    private static void Revoke(EmulatorState state, RefreshToken refresh)
    {
        refresh.Revoked = true;
        foreach (var key in state.AccessTokens.Values.Where(a => a.RefreshToken == refresh.Token).Select(a => a.Token).ToList())
        {
            state.AccessTokens.Remove(key);
        }
    }

    /// <summary>PKCE verification (RFC 7636): S256 = base64url(SHA-256(verifier)), plain = verifier.</summary>
    public static bool VerifierMatches(string challenge, string? method, string verifier) => method == "S256"
        ? CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))), Encoding.ASCII.GetBytes(challenge))
        : challenge == verifier;

    private static IResult Redirect(string redirectUri, params (string Key, string? Value)[] parameters)
    {
        var url = redirectUri;
        foreach (var (key, value) in parameters)
        {
            if (value is not null)
            {
                url = QueryHelpers.AddQueryString(url, key, value);
            }
        }

        return Results.Redirect(url);
    }

    private static IResult ErrorPage(int status, string error, string description) => Results.Content(
        $"<!doctype html><title>Error {status}: {error}</title><h1>Access blocked: authorization error</h1><p>Error {status}: {error}</p><p>{System.Net.WebUtility.HtmlEncode(description)}</p>",
        "text/html; charset=utf-8", Encoding.UTF8, status);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
