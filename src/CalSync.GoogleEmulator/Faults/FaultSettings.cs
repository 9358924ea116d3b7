namespace CalSync.GoogleEmulator.Faults;

/// <summary>
/// The fault switches of <c>PUT /emulator/faults</c>. The first five fields are the fixed contract of
/// design.md; the rest are additive so tests can make faults deterministic.
/// </summary>
public sealed record FaultSettings
{
    public int LatencyMs { get; init; }

    /// <summary>Share of Calendar calls answered with one of <see cref="ErrorStatuses"/>; 1.0 = every call.</summary>
    public double ErrorRate { get; init; }

    public IReadOnlyList<int> ErrorStatuses { get; init; } = [503];

    /// <summary>Google's default is 600 per user per minute; null = unlimited.</summary>
    public int? QuotaPerUserPerMinute { get; init; }

    public double DropPushRate { get; init; }

    /// <summary>
    /// Push notifications wait, in order, until this is switched off again: a test can make a burst of changes
    /// and have Google's notifications of them arrive together afterwards, as they do for a bulk edit.
    /// </summary>
    public bool HoldPush { get; init; }

    /// <summary>The next N Calendar calls fail with the error statuses in turn, whatever <see cref="ErrorRate"/> says.</summary>
    public int FailNext { get; init; }

    /// <summary>How an exhausted quota answers: 403 userRateLimitExceeded (default) or 429 rateLimitExceeded.</summary>
    public int QuotaStatus { get; init; } = 403;

    /// <summary>Sync tokens older than this many seconds answer 410 fullSyncRequired; null = they never expire by age.</summary>
    public int? SyncTokenMaxAgeSeconds { get; init; }

    /// <summary>Retry-After seconds on injected 403/429 answers.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>
    /// Length of the sliding window <see cref="QuotaPerUserPerMinute"/> applies to, so tests can scale Google's minute down;
    /// also the window of the stats' peakPerQuotaWindow.
    /// </summary>
    public int QuotaWindowSeconds { get; init; } = 60;

    /// <summary>Why these settings cannot be used, or null.</summary>
    public string? Problem() => QuotaWindowSeconds is < 1 or > 3600 ? "quotaWindowSeconds must be between 1 and 3600" : null;
}
