using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Hosting;
using CalSync.GoogleEmulator.Store;
using Microsoft.Extensions.Options;

namespace CalSync.GoogleEmulator.OAuth;

/// <summary>Issues Google-shaped token responses. Callers hold the state lock.</summary>
internal sealed class TokenIssuer(EmulatorState state, IdTokenSigner signer, IOptions<EmulatorOptions> options)
{
    /// <summary>Google's access tokens live an hour; it reports 3599, well above the clients' 5–6 minute refresh margin.</summary>
    public const int ExpiresIn = 3599;

    public const string Issuer = "https://accounts.google.com";

    public IReadOnlyList<OAuthClientOptions> Clients { get; } =
        options.Value.Clients.Count > 0 ? [.. options.Value.Clients] : [OAuthClientOptions.DevClient(anyLoopbackPort: false)];

    public OAuthClientOptions? Client(string? clientId) => Clients.FirstOrDefault(c => c.ClientId == clientId);

    public JsonObject Issue(Account account, string clientId, IReadOnlyList<string> scopes, bool withRefreshToken, string? existingRefresh, string? nonce)
    {
        var refresh = existingRefresh;
        if (withRefreshToken)
        {
            refresh = "1//" + EmulatorState.RandomToken(48);
            state.RefreshTokens[refresh] = new RefreshToken(refresh, account.Email, clientId, scopes);
        }

        var access = "ya29." + EmulatorState.RandomToken(64);
        state.AccessTokens[access] = new AccessToken(access, account.Email, clientId, scopes, state.Now.AddSeconds(ExpiresIn), refresh);

        var response = new JsonObject { ["access_token"] = access, ["expires_in"] = ExpiresIn };
        if (withRefreshToken)
        {
            response["refresh_token"] = refresh;
        }

        response["scope"] = string.Join(' ', scopes);
        response["token_type"] = "Bearer";
        if (scopes.Contains("openid"))
        {
            response["id_token"] = IdToken(account, clientId, access, nonce);
        }

        return response;
    }

    private string IdToken(Account account, string clientId, string accessToken, string? nonce)
    {
        var now = state.Now.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = Issuer, ["azp"] = clientId, ["aud"] = clientId, ["sub"] = account.Subject,
            ["email"] = account.Email, ["email_verified"] = true, ["at_hash"] = IdTokenSigner.AtHash(accessToken),
        };
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        claims["name"] = account.Name;
        claims["given_name"] = account.Name.Split(' ')[0];
        if (account.Name.Contains(' ', StringComparison.Ordinal))
        {
            claims["family_name"] = account.Name[(account.Name.IndexOf(' ', StringComparison.Ordinal) + 1)..];
        }

        claims["iat"] = now;
        claims["exp"] = now + ExpiresIn + 1;
        return signer.Sign(claims);
    }
}
