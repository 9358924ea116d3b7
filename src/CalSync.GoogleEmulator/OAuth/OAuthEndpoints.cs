using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Store;
using Microsoft.AspNetCore.WebUtilities;

namespace CalSync.GoogleEmulator.OAuth;

/// <summary>Google's OAuth 2.0 / OpenID endpoints at Google's paths, so a client changes only its base URL (§10).</summary>
internal static class OAuthEndpoints
{
    public static IEndpointRouteBuilder MapOAuth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/o/oauth2/v2/auth", Authorize);
        app.MapGet("/o/oauth2/auth", Authorize);
        app.MapPost("/token", TokenEndpoint.HandleAsync);
        app.MapPost("/o/oauth2/token", TokenEndpoint.HandleAsync);
        app.MapPost("/revoke", RevokeAsync);
        app.MapPost("/o/oauth2/revoke", RevokeAsync);
        app.MapGet("/oauth2/v3/userinfo", UserInfo);
        app.MapGet("/v1/userinfo", UserInfo);
        app.MapGet("/oauth2/v3/certs", (IdTokenSigner signer) => Results.Json(signer.Jwks()));
        app.MapGet("/tokeninfo", TokenInfo);
        app.MapGet("/oauth2/v3/tokeninfo", TokenInfo);
        app.MapGet("/.well-known/openid-configuration", Discovery);
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

    private static IResult UserInfo(HttpRequest request, EmulatorState state)
    {
        var header = request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : request.Query["access_token"].ToString();
        lock (state.Gate)
        {
            if (!state.AccessTokens.TryGetValue(token, out var access) || access.ExpiresAt <= state.Now
                || !state.Accounts.TryGetValue(access.Email, out var account))
            {
                return Results.Json(new JsonObject { ["error"] = "invalid_request", ["error_description"] = "Invalid Credentials" }, statusCode: 401);
            }

            var info = new JsonObject { ["sub"] = account.Subject, ["name"] = account.Name, ["given_name"] = account.Name.Split(' ')[0] };
            if (account.Name.Contains(' ', StringComparison.Ordinal))
            {
                info["family_name"] = account.Name[(account.Name.IndexOf(' ', StringComparison.Ordinal) + 1)..];
            }

            info["email"] = account.Email;
            info["email_verified"] = true;
            return Results.Json(info);
        }
    }

    private static IResult TokenInfo(HttpRequest request, EmulatorState state)
    {
        lock (state.Gate)
        {
            if (!state.AccessTokens.TryGetValue(request.Query["access_token"].ToString(), out var access) || access.ExpiresAt <= state.Now)
            {
                return Results.Json(new JsonObject { ["error"] = "invalid_token", ["error_description"] = "Invalid Value" }, statusCode: 400);
            }

            var account = state.Accounts.GetValueOrDefault(access.Email);
            return Results.Json(new JsonObject
            {
                ["azp"] = access.ClientId, ["aud"] = access.ClientId, ["sub"] = account?.Subject, ["scope"] = string.Join(' ', access.Scopes),
                ["exp"] = access.ExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["expires_in"] = (int)(access.ExpiresAt - state.Now).TotalSeconds, ["email"] = access.Email, ["email_verified"] = "true",
                ["access_type"] = access.RefreshToken is null ? "online" : "offline",
            });
        }
    }

    private static IResult Discovery(HttpRequest request)
    {
        var root = $"{request.Scheme}://{request.Host}";
        return Results.Json(new JsonObject
        {
            ["issuer"] = TokenIssuer.Issuer,
            ["authorization_endpoint"] = root + "/o/oauth2/v2/auth",
            ["token_endpoint"] = root + "/token",
            ["userinfo_endpoint"] = root + "/v1/userinfo",
            ["revocation_endpoint"] = root + "/revoke",
            ["jwks_uri"] = root + "/oauth2/v3/certs",
            ["response_types_supported"] = new JsonArray("code"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["code_challenge_methods_supported"] = new JsonArray("plain", "S256"),
            ["grant_types_supported"] = new JsonArray("authorization_code", "refresh_token"),
        });
    }

    /// <summary>PKCE verification (RFC 7636): S256 = base64url(SHA-256(verifier)), plain = verifier.</summary>
    public static bool VerifierMatches(string challenge, string? method, string verifier) => method == "S256"
        ? CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(IdTokenSigner.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))), Encoding.ASCII.GetBytes(challenge))
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
