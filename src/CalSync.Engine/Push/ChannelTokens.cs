using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CalSync.Engine.Push;

/// <summary>Channel ids and tokens: unguessable, and only a SHA-256 of the token is stored.</summary>
public static class ChannelTokens
{
    /// <summary>A fresh channel id (Google allows 64 characters; ids must be unique per project).</summary>
    public static string NewChannelId() => Guid.NewGuid().ToString("N");

    /// <summary>256 random bits, base64url (Google allows 256 characters).</summary>
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Constant time in the token's content: hashing first also hides its length.</summary>
    public static bool Matches(string? presented, byte[] storedHash) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Hash(presented), storedHash);
}
