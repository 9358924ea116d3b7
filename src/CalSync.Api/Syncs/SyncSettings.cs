using CalSync.Engine.Sync;

namespace CalSync.Api.Syncs;

/// <summary>
/// A sync's settings once validated. Source is side A and target side B; <see cref="CopyToSource"/> is null for a
/// one-way sync (the columns keep their defaults). Records all the way down, so equal settings compare equal.
/// </summary>
public sealed record SyncSettings(
    string Name,
    CalendarRef Source,
    CalendarRef Target,
    string Direction,
    int PastDays,
    int FutureDays,
    CopyStyle CopyToTarget,
    CopyStyle? CopyToSource,
    string ConflictPolicy,
    CronSchedule? Schedule,
    bool Active);

/// <summary>A 5-field cron read in an IANA time zone.</summary>
public sealed record CronSchedule(string Cron, string TimeZone);

/// <summary>A stored sync.</summary>
public sealed record SyncRecord(Guid Id, SyncSettings Settings, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
