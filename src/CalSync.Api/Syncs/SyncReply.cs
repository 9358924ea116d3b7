using CalSync.Engine.Sync;

namespace CalSync.Api.Syncs;

/// <summary>
/// A sync as the Api shows it: every field of <see cref="SyncBody"/> (calendar ids as stored, <c>primary</c>
/// resolved), <c>copyToSource</c> null for a one-way sync, <c>schedule</c> null when it has none; and
/// <c>scheduleStatus</c>, whether the schedule runs: <c>none</c> (no schedule), <c>inactive</c> (<c>active</c> is
/// false), <c>paused: account needs reconnecting</c> (the source or target account is <c>reauth_required</c>: runs
/// would fail, so the workers leave it unscheduled until the account is reconnected) or <c>scheduled</c>.
/// </summary>
public sealed record SyncReply(
    Guid Id,
    string Name,
    SyncCalendar Source,
    SyncCalendar Target,
    [property: WireValues(SyncRules.OneWay, SyncRules.TwoWay)] string Direction,
    int PastDays,
    int FutureDays,
    CopyOptions CopyToTarget,
    CopyOptions? CopyToSource,
    [property: WireValues(SyncRules.DefaultConflictPolicy, "newest-wins", "source-wins", "target-wins")] string ConflictPolicy,
    SyncScheduleBody? Schedule,
    bool Active,
    [property: WireValues(SyncReply.NoSchedule, SyncReply.Inactive, SyncReply.PausedForReconnect, SyncReply.Scheduled)] string ScheduleStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public const string NoSchedule = "none";
    public const string Inactive = "inactive";
    public const string PausedForReconnect = "paused: account needs reconnecting";
    public const string Scheduled = "scheduled";

    public static SyncReply From(SyncRecord sync)
    {
        ArgumentNullException.ThrowIfNull(sync);
        var s = sync.Settings;
        return new(
            sync.Id,
            s.Name,
            Calendar(s.Source),
            Calendar(s.Target),
            s.Direction,
            s.PastDays,
            s.FutureDays,
            Copy(s.CopyToTarget),
            s.CopyToSource is { } toSource ? Copy(toSource) : null,
            s.ConflictPolicy,
            s.Schedule is { } schedule ? new SyncScheduleBody { Cron = schedule.Cron, TimeZone = schedule.TimeZone } : null,
            s.Active,
            s.Schedule is null ? NoSchedule : !s.Active ? Inactive : sync.AccountNeedsReconnecting ? PausedForReconnect : Scheduled,
            sync.CreatedAt,
            sync.UpdatedAt);
    }

    private static SyncCalendar Calendar(CalendarRef calendar) => new() { AccountId = calendar.AccountId, CalendarId = calendar.CalendarId };

    private static CopyOptions Copy(CopyStyle style) => new()
    {
        Privacy = style.Privacy,
        Placeholder = style.Placeholder,
        ColorId = style.ColorId,
        Filter = CopyRuleChecks.ToBody(style.Filter),
        Look = CopyRuleChecks.ToBody(style.Look),
    };

    /// <summary>Google push per calendar the sync reads (set on reads of syncs; null elsewhere).</summary>
    public IReadOnlyList<Webhooks.PushCalendarStatus>? Push { get; init; }
}
