using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace CalSync.GoogleEmulator.OAuth;

/// <summary>Signs OpenID id_tokens with RS256 and publishes the key as a JWKS.</summary>
internal sealed class IdTokenSigner : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _keyId = Guid.NewGuid().ToString("N");

    public string Sign(JsonObject claims)
    {
        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = _keyId, ["typ"] = "JWT" };
        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    public JsonObject Jwks()
    {
        var p = _key.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA", ["alg"] = "RS256", ["use"] = "sig", ["kid"] = _keyId,
                ["n"] = Base64Url.EncodeToString(p.Modulus!), ["e"] = Base64Url.EncodeToString(p.Exponent!),
            }),
        };
    }

    /// <summary>
    /// The v1 certs format, kid → X.509 PEM, which the Node client's verifyIdToken fetches by default
    /// (oauth2FederatedSignonPemCertsUrl). Self-signed over a fixed, wide validity range.
    /// </summary>
    public JsonObject PemCertificates()
    {
        var request = new CertificateRequest("CN=CalSync Google emulator", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return new JsonObject { [_keyId] = certificate.ExportCertificatePem() + "\n" };
    }

    /// <summary>OIDC at_hash: left half of SHA-256 of the access token.</summary>
    public static string AtHash(string accessToken) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)).AsSpan(0, 16));

    public void Dispose() => _key.Dispose();
}
