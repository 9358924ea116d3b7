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
        var (start, end) = (Instant(e.Start, isEnd: false), Instant(e.End, isEnd: true));
        return start is not null && end is not null && end > Start && start < End;
    }

    private static DateTimeOffset? Instant(EventDateTime? time, bool isEnd) => time switch
    {
        { DateTime: { } dateTime } => dateTime,
        { Date: { } date } => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(isEnd ? 14 : -14),
        _ => null,
    };
}
