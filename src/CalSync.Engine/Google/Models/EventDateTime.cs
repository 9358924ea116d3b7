namespace CalSync.Engine.Google.Models;

/// <summary>
/// A start or end: <see cref="Date"/> for all-day events (kept as a date so it stays on the same day in
/// every time zone), otherwise <see cref="DateTime"/> with its offset and the optional IANA <see cref="TimeZone"/>.
/// </summary>
public sealed record EventDateTime
{
    public DateOnly? Date { get; init; }
    public DateTimeOffset? DateTime { get; init; }
    public string? TimeZone { get; init; }

    public static EventDateTime AllDay(DateOnly date) => new() { Date = date };

    public static EventDateTime At(DateTimeOffset dateTime, string? timeZone = null) => new() { DateTime = dateTime, TimeZone = timeZone };
}
