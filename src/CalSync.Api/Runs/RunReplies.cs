using CalSync.Api.Syncs;
using CalSync.Engine.Runs;

namespace CalSync.Api.Runs;

/// <summary>Body of <c>POST /api/syncs/{id}/runs</c> (optional: an empty body asks for a plain run).</summary>
public sealed record TriggerRunRequest
{
    /// <summary>List both calendars in full instead of reading changes since the last run.</summary>
    public bool FullResync { get; init; }

    /// <summary>Plan and record the changes without writing to Google.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Go ahead with deletions past the mass-deletion guard: after a run ended <c>needs_confirmation</c> and its
    /// changes list deletions that are right (say, a calendar really was emptied).
    /// </summary>
    public bool ConfirmDeletes { get; init; }
}

/// <summary>A run asked for: queued now, or the run that was already waiting (triggers coalesce).</summary>
public sealed record RunQueuedReply(Guid RunId, string Status);

/// <summary>
/// A run: <c>trigger</c> manual, schedule, push or retry; <c>status</c> queued, running, succeeded, failed or
/// needs_confirmation; counts of what it did; <c>apiCalls</c> the Google calls it spent; <c>kind</c> <c>sync</c>, or
/// <c>remove_copies</c> for the run that deletes a deleted sync's copies.
/// </summary>
public sealed record RunReply(
    Guid Id,
    Guid SyncId,
    [property: WireValues(RunTrigger.Manual, RunTrigger.Schedule, RunTrigger.Push, RunTrigger.Retry)] string Trigger,
    [property: WireValues(RunStatus.Queued, RunStatus.Running, RunStatus.Succeeded, RunStatus.Failed, RunStatus.NeedsConfirmation)] string Status,
    bool DryRun,
    int Created,
    int Updated,
    int Deleted,
    int Skipped,
    int ApiCalls,
    string? Error,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    [property: WireValues(RunKind.Sync, RunKind.RemoveCopies)] string Kind)
{
    public static RunReply From(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(run.Id, run.SyncId, run.Trigger, run.Status, run.DryRun, run.Created, run.Updated, run.Deleted, run.Skipped,
            run.ApiCalls, run.Error, run.QueuedAt, run.StartedAt, run.FinishedAt, run.Kind);
    }
}

/// <summary>
/// One thing a run did or decided about an event: <c>action</c> create, update, delete, adopt, skip or conflict;
/// <c>side</c> the calendar it happened in (source or target).
/// </summary>
public sealed record RunChangeReply(
    [property: WireValues("create", "update", "delete", "adopt", "skip", "conflict")] string Action,
    [property: WireValues("source", "target")] string Side,
    string? OriginEventId,
    string? CopyEventId,
    string? Summary,
    string Reason)
{
    /// <summary>Side A is the source, B the target.</summary>
    public static RunChangeReply From(CalSync.Engine.Sync.RunChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(change.Action, change.Side == CalSync.Engine.Sync.Side.A ? "source" : "target", change.OriginEventId, change.CopyEventId, change.Summary, change.Reason);
    }
}
