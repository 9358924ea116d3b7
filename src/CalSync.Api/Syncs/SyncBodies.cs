using CalSync.Engine.Sync;

namespace CalSync.Api.Syncs;

/// <summary>Body of <c>POST /api/syncs</c>, and what a <c>PATCH</c> must add up to.</summary>
public sealed record SyncBody
{
    /// <summary>What the sync is called; 1 to 200 characters, not blank.</summary>
    public required string Name { get; init; }

    /// <summary>The calendar events are copied from (side A).</summary>
    public required SyncCalendar Source { get; init; }

    /// <summary>The calendar copies are written to (side B); the account must be its owner or writer.</summary>
    public required SyncCalendar Target { get; init; }

    /// <summary><c>one-way</c> (source to target) or <c>two-way</c> (both ways; the source must be writable too).</summary>
    [WireValues(SyncRules.OneWay, SyncRules.TwoWay)]
    public required string Direction { get; init; }

    /// <summary>Days before today that are synced: 0 to 3650 (default 0).</summary>
    public int PastDays { get; init; } = SyncRules.DefaultPastDays;

    /// <summary>Days after today that are synced: 1 to 3650 (default 90).</summary>
    public int FutureDays { get; init; } = SyncRules.DefaultFutureDays;

    /// <summary>How copies of source events look in the target (default: as the origin, no colour).</summary>
    public CopyOptions? CopyToTarget { get; init; }

    /// <summary>How copies of target events look in the source: two-way syncs only (a one-way sync answers 400).</summary>
    public CopyOptions? CopyToSource { get; init; }

    /// <summary>Two-way: who wins when both sides changed. <c>origin-wins</c> (default), <c>newest-wins</c>, <c>source-wins</c> or <c>target-wins</c>.</summary>
    [WireValues(SyncRules.DefaultConflictPolicy, "newest-wins", "source-wins", "target-wins")]
    public string ConflictPolicy { get; init; } = SyncRules.DefaultConflictPolicy;

    /// <summary>When the workers run the sync by themselves; none when left out.</summary>
    public SyncScheduleBody? Schedule { get; init; }

    /// <summary>Whether the schedule runs it (default true). Runs can be requested by hand either way.</summary>
    public bool Active { get; init; } = true;
}

/// <summary>A calendar of one of the caller's connected accounts.</summary>
public sealed record SyncCalendar
{
    /// <summary>A connected Google account of the caller (<c>GET /api/accounts</c>), not one needing reconnection.</summary>
    public required Guid AccountId { get; init; }

    /// <summary>An id from <c>GET /api/accounts/{id}/calendars</c>, or <c>primary</c> (stored as the primary calendar's id).</summary>
    public required string CalendarId { get; init; }
}

/// <summary>The copy rules of one direction: privacy mode, the copies' colour, which events are copied and how copies look.</summary>
public sealed record CopyOptions
{
    /// <summary>Privacy mode: copies show <see cref="Placeholder"/>, no description or location, private visibility; times and busy/free stay.</summary>
    public bool Privacy { get; init; }

    /// <summary>The copies' title in privacy mode: 1 to 100 characters (default "Busy").</summary>
    public string Placeholder { get; init; } = SyncRules.DefaultPlaceholder;

    /// <summary>A Google event colour id, "1" to "11", given to every copy; null keeps the calendar's colour.</summary>
    public string? ColorId { get; init; }

    /// <summary>Which events are copied; left out, CalSync's defaults (declined invitations skipped, everything else copied).</summary>
    public CopyFilterBody? Filter { get; init; }

    /// <summary>How copies look, field by field; left out, as the origin (privacy mode overrides its text fields).</summary>
    public CopyLookBody? Look { get; init; }

    // What Filter and Look change: the defaults for a create, the stored rules for a patch. Not on the wire.
    internal CopyFilter FilterBase { get; init; } = CopyFilter.Default;

    internal CopyLook LookBase { get; init; } = CopyLook.Default;
}

/// <summary>A cron schedule: 5 fields (minute hour day-of-month month day-of-week) read in an IANA time zone.</summary>
public sealed record SyncScheduleBody
{
    /// <summary>E.g. <c>*/15 * * * *</c>; day-of-week 0-7 (0 and 7 are Sunday) or names; must fire at some time.</summary>
    public required string Cron { get; init; }

    /// <summary>E.g. <c>Europe/Berlin</c>.</summary>
    public required string TimeZone { get; init; }
}
