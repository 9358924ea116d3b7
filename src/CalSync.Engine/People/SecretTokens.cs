using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CalSync.Engine.People;

/// <summary>
/// The random secrets the Api hands out (session cookies, personal access tokens, OAuth states): 256 bits,
/// base64url, with a prefix naming their kind so a leaked one is recognisable. Only their SHA-256 is stored.
/// </summary>
public static class SecretTokens
{
    public const string AccessTokenPrefix = "csk_";
    public const string SessionPrefix = "css_";

    public static string New(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
