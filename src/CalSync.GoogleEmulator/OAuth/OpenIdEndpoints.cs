using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.OAuth;

/// <summary>OpenID Connect extras: userinfo, signing keys, token info and discovery.</summary>
internal static class OpenIdEndpoints
{
    public static IEndpointRouteBuilder MapOpenId(this IEndpointRouteBuilder app)
    {
        app.MapGet("/oauth2/v3/userinfo", UserInfo);
        app.MapGet("/v1/userinfo", UserInfo);
        app.MapGet("/oauth2/v3/certs", (IdTokenSigner signer) => Results.Json(signer.Jwks()));
        app.MapGet("/oauth2/v1/certs", (IdTokenSigner signer) => Results.Json(signer.PemCertificates()));
        app.MapMethods("/tokeninfo", ["GET", "POST"], TokenInfoAsync);
        app.MapMethods("/oauth2/v3/tokeninfo", ["GET", "POST"], TokenInfoAsync);
        app.MapGet("/.well-known/openid-configuration", Discovery);
        return app;
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

    /// <summary>GET ?access_token=, or POST with a Bearer header or form field as the Node client's getTokenInfo sends it.</summary>
    private static async Task<IResult> TokenInfoAsync(HttpRequest request, EmulatorState state)
    {
        var token = request.Query["access_token"].ToString();
        var header = request.Headers.Authorization.ToString();
        if (token.Length == 0 && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header[7..].Trim();
        }

        if (token.Length == 0 && request.HasFormContentType)
        {
            token = (await request.ReadFormAsync())["access_token"].ToString();
        }

        lock (state.Gate)
        {
            if (!state.AccessTokens.TryGetValue(token, out var access) || access.ExpiresAt <= state.Now)
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
}
