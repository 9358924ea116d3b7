using System.Globalization;
using System.Text;

namespace CalSync.GoogleEmulator.Api;

/// <summary>
/// Opaque sync and page tokens of listings (events and the calendar list). A sync token names the calendar,
/// its token epoch (bumped when tokens are expired) and the change sequence it was issued at.
/// </summary>
internal static class ListTokens
{
    public static string SyncToken(string calendarId, long epoch, long seq, DateTimeOffset issued) =>
        Encode(string.Create(CultureInfo.InvariantCulture, $"s|{epoch}|{seq}|{issued.ToUnixTimeSeconds()}|{calendarId}"));

    public static bool TryReadSyncToken(string token, string calendarId, out long epoch, out long seq) =>
        TryReadSyncToken(token, calendarId, out epoch, out seq, out _);

    public static bool TryReadSyncToken(string token, string calendarId, out long epoch, out long seq, out DateTimeOffset issued)
    {
        epoch = seq = 0;
        issued = default;
        var parts = Decode(token)?.Split('|', 5);
        if (parts is not ["s", var e, var s, var at, var id]
            || !id.Equals(calendarId, StringComparison.OrdinalIgnoreCase)
            || !long.TryParse(e, CultureInfo.InvariantCulture, out epoch)
            || !long.TryParse(s, CultureInfo.InvariantCulture, out seq)
            || !long.TryParse(at, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        issued = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    /// <summary>A page token remembers the offset and the change sequence of the first page, which becomes the next sync token.</summary>
    public static string PageToken(int offset, long snapshotSeq) =>
        Encode(string.Create(CultureInfo.InvariantCulture, $"p|{offset}|{snapshotSeq}"));

    public static bool TryReadPageToken(string token, out int offset, out long snapshotSeq)
    {
        offset = 0;
        snapshotSeq = 0;
        var parts = Decode(token)?.Split('|');
        return parts is ["p", var o, var s]
               && int.TryParse(o, CultureInfo.InvariantCulture, out offset) && offset >= 0
               && long.TryParse(s, CultureInfo.InvariantCulture, out snapshotSeq);
    }

    private static string Encode(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));

    private static string? Decode(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
