namespace CalSync.Engine.Sync;

/// <summary>
/// A sync's settings as the Api shows and edits them, once validated. Source is side A and target side B;
/// <see cref="CopyToSource"/> is null for a one-way sync (the columns keep their defaults). Records all the way down,
/// so equal settings compare equal. <see cref="SourceName"/> and <see cref="TargetName"/> are the calendars' names at
/// Google as the calendar check found them, stored with a new sync for title templates (<c>{calendar}</c>); read back
/// they are null, as a patch never changes them.
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
    bool Active,
    string? SourceName = null,
    string? TargetName = null);

/// <summary>A 5-field cron read in an IANA time zone.</summary>
public sealed record CronSchedule(string Cron, string TimeZone);

/// <summary>A sync's cron schedule as its row says, for the workers' scheduler: a 5-field (Unix) cron in an IANA time zone.</summary>
public sealed record SyncSchedule(Guid SyncId, string Cron, string TimeZone);

/// <summary>A stored sync; <see cref="AccountNeedsReconnecting"/>: its source or target account is <c>reauth_required</c>.</summary>
public sealed record SyncRecord(Guid Id, SyncSettings Settings, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool AccountNeedsReconnecting = false);

/// <summary>
/// What became of an edit: the sync as it is now, or nothing, either because it is not the caller's sync or because
/// the edit refused (<see cref="Refused"/>: the edit gave no settings; it has said why to whoever called it).
/// </summary>
public sealed record SyncEdit(SyncRecord? Sync, bool Refused = false);
