using System.Security.Cryptography;
using System.Text;

namespace CalSync.Engine.Sync;

/// <summary>
/// A copy's event id is a function of (sync, origin side, origin event id), in Google's id alphabet
/// (base32hex, lower case). A retried or crashed insert therefore cannot create a second copy: Google
/// answers 409 and the engine adopts the event already there. A copy made as an event type of its own
/// (out of office, focus time) has an id of its own too: Google never changes an event's type, so a copy
/// changes type by being replaced, and its id says which type it is.
/// </summary>
public static class CopyIds
{
    private const string Base32Hex = "0123456789abcdefghijklmnopqrstuv";

    /// <summary>The copy's id; <paramref name="eventType"/> is null for a default event.</summary>
    public static string For(Guid syncId, Side originSide, string originEventId, string? eventType = null)
    {
        var name = $"calsync/{syncId:N}/{originSide}/{originEventId}" + (eventType is null ? "" : "/" + eventType);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        // 160 bits (32 characters) make a collision between two origins of one sync practically impossible.
        return "cs" + Encode(digest.AsSpan(0, 20));
    }

    /// <summary>Is <paramref name="eventId"/> an id the sync gives a copy of this origin, of any type?</summary>
    public static bool IsCopyId(Guid syncId, Side originSide, string originEventId, string? eventId) =>
        eventId is not null && CopyRules.OwnTypes.Prepend(null).Any(type => eventId == For(syncId, originSide, originEventId, type));

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
