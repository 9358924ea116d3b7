using System.Text;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.OAuth;

/// <summary>POST /token: authorization_code (with PKCE) and refresh_token grants, errors as Google formats them.</summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(HttpRequest request, EmulatorState state, TokenIssuer issuer)
    {
        var form = request.HasFormContentType ? await request.ReadFormAsync() : FormCollection.Empty;
        string? clientId = form["client_id"];
        string? clientSecret = form["client_secret"];

        // Clients may authenticate with HTTP Basic instead of form fields.
        if (request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryReadBasic(auth[6..].Trim(), out clientId, out clientSecret))
            {
                return Error(401, "invalid_client", "Unauthorized");
            }
        }

        var client = issuer.Client(clientId);
        if (client is null)
        {
            return Error(401, "invalid_client", "The OAuth client was not found.");
        }

        if (client.ClientSecret != clientSecret)
        {
            return Error(401, "invalid_client", "Unauthorized");
        }

        lock (state.Gate)
        {
            return form["grant_type"].ToString() switch
            {
                "authorization_code" => ExchangeCode(form, state, issuer, client.ClientId),
                "refresh_token" => Refresh(form, state, issuer, client.ClientId),
                "" => Error(400, "unsupported_grant_type", "Invalid grant_type: "),
                var other => Error(400, "unsupported_grant_type", "Invalid grant_type: " + other),
            };
        }
    }

    private static TokenResult ExchangeCode(IFormCollection form, EmulatorState state, TokenIssuer issuer, string clientId)
    {
        string? code = form["code"];
        if (string.IsNullOrEmpty(code))
        {
            return Error(400, "invalid_request", "Missing required parameter: code");
        }

        if (!state.AuthorizationCodes.TryGetValue(code, out var grant))
        {
            return Error(400, "invalid_grant", "Malformed auth code.");
        }

        if (grant.Used || grant.ExpiresAt <= state.Now || grant.ClientId != clientId)
        {
            // Google answers a reused or expired code with this terse description.
            return Error(400, "invalid_grant", "Bad Request");
        }

        if (form["redirect_uri"].ToString() != grant.RedirectUri)
        {
            return Error(400, "redirect_uri_mismatch", "Bad Request");
        }

        if (grant.CodeChallenge is not null)
        {
            string? verifier = form["code_verifier"];
            if (string.IsNullOrEmpty(verifier))
            {
                return Error(400, "invalid_grant", "Missing code verifier.");
            }

            if (!OAuthEndpoints.VerifierMatches(grant.CodeChallenge, grant.CodeChallengeMethod, verifier))
            {
                return Error(400, "invalid_grant", "Invalid code verifier.");
            }
        }

        grant.Used = true;
        if (!state.Accounts.TryGetValue(grant.Email, out var account))
        {
            return Error(400, "invalid_grant", "Bad Request");
        }

        // Google returns a refresh token only for access_type=offline.
        return Success(issuer.Issue(account, clientId, grant.Scopes, grant.Offline, existingRefresh: null, grant.Nonce));
    }

    private static TokenResult Refresh(IFormCollection form, EmulatorState state, TokenIssuer issuer, string clientId)
    {
        string? token = form["refresh_token"];
        if (string.IsNullOrEmpty(token))
        {
            return Error(400, "invalid_request", "Missing required parameter: refresh_token");
        }

        if (!state.RefreshTokens.TryGetValue(token, out var refresh) || refresh.Revoked || !state.Accounts.TryGetValue(refresh.Email, out var account))
        {
            return Error(400, "invalid_grant", "Token has been expired or revoked.");
        }

        if (refresh.ClientId != clientId)
        {
            return Error(401, "unauthorized_client", "Unauthorized");
        }

        return Success(issuer.Issue(account, clientId, refresh.Scopes, withRefreshToken: false, existingRefresh: token, nonce: null));
    }

    private static bool TryReadBasic(string encoded, out string? clientId, out string? clientSecret)
    {
        clientId = clientSecret = null;
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var length))
        {
            return false;
        }

        var pair = Encoding.UTF8.GetString(buffer, 0, length).Split(':', 2);
        clientId = Uri.UnescapeDataString(pair[0]);
        clientSecret = pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null;
        return true;
    }

    private static TokenResult Success(JsonObject body) => new(200, body);

    private static TokenResult Error(int status, string error, string description) =>
        new(status, new JsonObject { ["error"] = error, ["error_description"] = description });

    /// <summary>Token responses must not be cached (RFC 6749 section 5.1), and Google says so.</summary>
    private sealed class TokenResult(int status, JsonObject body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.Headers.CacheControl = "no-cache, no-store, max-age=0, must-revalidate";
            httpContext.Response.Headers.Pragma = "no-cache";
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            await httpContext.Response.WriteAsync(body.ToJsonString());
        }
    }
}
