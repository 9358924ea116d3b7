using Microsoft.Extensions.Primitives;

namespace CalSync.Api.Dashboard;

/// <summary>
/// A list's <c>?page=</c> as people and links write it: ASCII digits, perhaps after a minus. Absent or empty is the
/// first page; zero and below are the first page; too large for a number is past any end (the store shows the last
/// page). Anything else, or the key given twice, names no page: the caller answers 400.
/// </summary>
public static class PageNumber
{
    public static bool TryRead(StringValues values, out int number)
    {
        number = 1;
        if (values.Count > 1)
        {
            return false;
        }
        var text = values.Count == 0 ? "" : values[0] ?? "";
        if (text.Length == 0)
        {
            return true;
        }
        var negative = text[0] == '-';
        var digits = negative ? text.AsSpan(1) : text.AsSpan();
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }
        number = negative ? 1 : int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? Math.Max(1, n) : int.MaxValue;
        return true;
    }
}
