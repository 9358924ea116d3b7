using System.Globalization;

namespace CalSync.GoogleEmulator.Store;

/// <summary>RFC 3339 date-times as Google reads and writes them: seconds are required, fractions optional.</summary>
internal static class Rfc3339
{
    private static readonly string[] OffsetFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
    ];

    public static bool TryParse(string text, out DateTimeOffset value, out bool hasOffset)
    {
        hasOffset = text.EndsWith('Z') || text.EndsWith('z') || HasNumericOffset(text);
        if (hasOffset)
        {
            return DateTimeOffset.TryParseExact(text.ToUpperInvariant(), OffsetFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.None, out value);
        }

        var ok = DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local);
        value = ok ? new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeSpan.Zero) : default;
        return ok;
    }

    /// <summary>Parses a query parameter such as timeMin, which must carry an offset.</summary>
    public static DateTimeOffset? ParseWithOffset(string? text) =>
        text is not null && TryParse(text, out var value, out var hasOffset) && hasOffset ? value : null;

    /// <summary>Google keeps event times and window bounds to the second: a fraction sent (JavaScript's toISOString always sends one) is dropped, not rounded.</summary>
    public static DateTimeOffset ToSecond(DateTimeOffset value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), value.Offset);

    public static string Format(DateTimeOffset value) =>
        value.Offset == TimeSpan.Zero
            ? value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static bool HasNumericOffset(string text)
    {
        var t = text.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        if (t < 0)
        {
            return false;
        }

        var time = text.AsSpan(t);
        return time.Contains('+') || time.Contains('-');
    }
}
