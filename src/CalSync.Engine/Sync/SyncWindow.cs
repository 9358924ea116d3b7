using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>
/// The stretch of time a sync copies new events from: [now − pastDays, now + futureDays]. Only new
/// origins are filtered by it; a linked copy follows its origin wherever it moves.
/// </summary>
public sealed record SyncWindow(DateTimeOffset Start, DateTimeOffset End)
{
    public static SyncWindow For(SyncDefinition sync, DateTimeOffset now)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        return new SyncWindow(today.AddDays(-sync.PastDays), today.AddDays(sync.FutureDays + 1));
    }

    /// <summary>Does the event overlap the window? All-day dates are taken generously (±14 h covers every zone).</summary>
    public bool Overlaps(GoogleEvent e)
    {
        var (start, end) = SpanOf(e);
        return start is not null && end is not null && end > Start && start < End;
    }

    /// <summary>Does the event start at or after the window's end? (An event overlapping the end is inside.)</summary>
    public bool StartsAfterEnd(GoogleEvent e) => SpanOf(e).Start is { } start && start >= End;

    /// <summary>Did the event end before the window starts? Such events' links are retired.</summary>
    public bool EndedBefore(GoogleEvent e) => SpanOf(e).End is { } end && end <= Start;

    /// <summary>The event's start and end as instants, all-day dates widened by ±14 h so no zone falls outside.</summary>
    public static (DateTimeOffset? Start, DateTimeOffset? End) SpanOf(GoogleEvent e) =>
        (Instant(e.Start, isEnd: false), Instant(e.End, isEnd: true));

    private static DateTimeOffset? Instant(EventDateTime? time, bool isEnd) => time switch
    {
        { DateTime: { } dateTime } => dateTime.ToUniversalTime(),
        { Date: { } date } => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(isEnd ? 14 : -14),
        _ => null,
    };
}
