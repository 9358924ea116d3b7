namespace CalSync.Contracts;

/// <summary>Published by the Api, the scheduler and the dispatcher when a run row is queued; consumed by the workers.</summary>
/// <param name="RunId">The <c>runs</c> row this message stands for; the row, not the message, is the truth.</param>
/// <param name="SyncId">The sync to run.</param>
/// <param name="Trigger">What asked for the run: <c>manual</c>, <c>schedule</c>, <c>push</c> or <c>retry</c>.</param>
/// <param name="RequestedAt">When the run was queued.</param>
/// <param name="FullResync">Re-list both calendars in full instead of reading changes since the last run.</param>
/// <param name="DryRun">Plan and record the changes without writing to Google.</param>
public sealed record SyncRequested(
    Guid RunId,
    Guid SyncId,
    string Trigger,
    DateTimeOffset RequestedAt,
    bool FullResync,
    bool DryRun);
