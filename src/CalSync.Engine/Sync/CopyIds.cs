using System.Security.Cryptography;
using System.Text;

namespace CalSync.Engine.Sync;

/// <summary>
/// A copy's event id is a function of (sync, origin side, origin event id), in Google's id alphabet
/// (base32hex, lower case). A retried or crashed insert therefore cannot create a second copy: Google
/// answers 409 and the engine adopts the event already there.
/// </summary>
public static class CopyIds
{
    private const string Base32Hex = "0123456789abcdefghijklmnopqrstuv";

    public static string For(Guid syncId, Side originSide, string originEventId)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"calsync/{syncId:N}/{originSide}/{originEventId}"));
        // 160 bits (32 characters) make a collision between two origins of one sync practically impossible.
        return "cs" + Encode(digest.AsSpan(0, 20));
    }

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length * 8 / 5);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                builder.Append(Base32Hex[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return builder.ToString();
    }
}
