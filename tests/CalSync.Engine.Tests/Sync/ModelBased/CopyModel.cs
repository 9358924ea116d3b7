using System.Globalization;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;

namespace CalSync.Engine.Tests.Sync.ModelBased;

/// <summary>
/// What a copy must show and when it must exist, stated from design.md ("Content", "Privacy mode", "Colour",
/// "Event types", "Window") and written without the engine's renderer, hash or window: the property test
/// checks the engine against this, so a mistake in the engine cannot agree with itself.
/// </summary>
internal static class CopyModel
{
    public static void AssertCopy(GoogleEvent origin, GoogleEvent copy, CopyStyle style)
    {
        var why = $"copy {copy.Id} of {origin.Id} ({Quote(origin.Summary)})";
        Assert.True(style.Privacy ? Text(copy.Summary) == style.Placeholder : Text(copy.Summary) == Text(origin.Summary), $"{why}: summary {Quote(copy.Summary)}");
        Assert.True(Text(copy.Description) == (style.Privacy ? null : Text(origin.Description)), $"{why}: description");
        Assert.True(Text(copy.Location) == (style.Privacy ? null : Text(origin.Location)), $"{why}: location");
        Assert.True(Time(copy.Start) == Time(origin.Start) && Time(copy.End) == Time(origin.End), $"{why}: times {Time(copy.Start)} {Time(origin.Start)}");
        var busy = origin.EventType is EventTypes.OutOfOffice or EventTypes.FocusTime || Text(origin.Transparency) is null or "opaque";
        Assert.True(busy == (Text(copy.Transparency) is null or "opaque"), $"{why}: busy/free");
        var visibility = style.Privacy ? "private" : Text(origin.Visibility) ?? "default";
        Assert.True((Text(copy.Visibility) ?? "default") == visibility, $"{why}: visibility {copy.Visibility}");
        var colour = style.ColorId ?? (style.Privacy ? null : Text(origin.ColorId));
        Assert.True(Text(copy.ColorId) == colour, $"{why}: colour {copy.ColorId}, expected {colour}");
        Assert.True(copy.EventType is null or EventTypes.Default, $"{why}: type {copy.EventType}");
    }

    /// <summary>Does the event fall in [today, today + futureDays] (whole days, UTC), all-day dates widened by 14 h for every zone?</summary>
    public static bool InWindow(GoogleEvent e, DateTimeOffset today, int futureDays)
    {
        var (start, end) = (Instant(e.Start, -14), Instant(e.End, +14));
        return end > today && start < today.AddDays(futureDays + 1);
    }

    private static DateTimeOffset Instant(EventDateTime? time, int allDayHours) => time switch
    {
        { DateTime: { } at } => at,
        { Date: { } date } => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(allDayHours),
        _ => throw new InvalidOperationException("An event without a time."),
    };

    private static string Time(EventDateTime? time) => time switch
    {
        { Date: { } date } => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        { DateTime: { } at } => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        _ => "",
    };

    private static string? Text(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Quote(string? value) => value is null ? "null" : $"\"{value.Replace("\0", "\\0", StringComparison.Ordinal)}\"";
}
