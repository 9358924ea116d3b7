using CalSync.Engine.Google;
using CalSync.Engine.Google.Accounting;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Runs;

namespace CalSync.Engine.Sync;

/// <summary>
/// Removes every copy a deleted sync made, and nothing else. Each side that can hold copies is listed by the
/// sync's marker over all time, not from the links, so copies whose link a crash lost are found too; each
/// listed event is checked again (marker and deterministic id) before it is deleted. Deletions go in batches
/// of at most 50, each copy's link is forgotten as it goes and each batch is recorded in the run as it returns
/// (<see cref="AttemptRecord"/>), so a failed attempt keeps what it did on record: the retry lists again, finds
/// only what is left, and converges, and the run's counts add both attempts up. The mass-deletion guard does not apply:
/// a person asked for exactly this.
/// </summary>
public sealed class CopyRemover(SyncStateStore store, ApiCallAccounting accounting)
{
    internal const int BatchSize = 50;
    internal const string RemovedReason = "sync deleted; copy removed";

    public Task<SyncOutcome> RemoveAsync(Guid runId, SyncDefinition sync, ICalendarSide a, ICalendarSide b, CancellationToken cancellationToken) =>
        RemoveAsync(runId, sync, a, b, progress: null, cancellationToken);

    /// <summary>One attempt of a removal; what it returns and reports to <paramref name="progress"/> is this attempt's, the run row adds the attempts up.</summary>
    public async Task<SyncOutcome> RemoveAsync(Guid runId, SyncDefinition sync, ICalendarSide a, ICalendarSide b, IRunProgress? progress, CancellationToken cancellationToken)
    {
        using var calls = accounting.BeginScope();
        using var record = new AttemptRecord(runId, store, calls, progress);
        try
        {
            foreach (var side in CopySides(sync))
            {
                await RemoveFromAsync(sync, side, side == Side.A ? a : b, record, cancellationToken);
            }
            // Every live copy is gone now; what links remain point at copies deleted earlier (by hand, say).
            await store.RemoveAllLinksAsync(sync.Id, cancellationToken);
            return record.Outcome();
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The deletions and calls of a stopped attempt stay counted; the retry adds its own.
            await record.ReportAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>One-way syncs write copies into B only; two-way syncs into both sides.</summary>
    internal static IEnumerable<Side> CopySides(SyncDefinition sync) =>
        sync.Direction == SyncDirection.TwoWay ? [Side.A, Side.B] : [Side.B];

    /// <summary>
    /// Every event of one series is listed once (<c>singleEvents=false</c>), so the all-time listing stays
    /// bounded even for endless series; cancelled events are already gone.
    /// </summary>
    internal static EventListQuery CopiesOf(Guid syncId) => new()
    {
        SingleEvents = false,
        ShowDeleted = false,
        PrivateProperties = CopyMarker.FilterFor(syncId),
    };

    private async Task RemoveFromAsync(SyncDefinition sync, Side side, ICalendarSide calendar, AttemptRecord record, CancellationToken cancellationToken)
    {
        var listing = await calendar.ListAsync(CopiesOf(sync.Id), cancellationToken) as EventListing
            ?? throw new InvalidOperationException("A listing without a sync token cannot expire.");
        var changes = new List<RunChange>();
        var copies = new List<(GoogleEvent Event, string OriginId)>();
        foreach (var e in listing.Events.Where(e => !e.IsCancelled))
        {
            if (OriginOfCopy(sync, side, e) is { } originId)
            {
                copies.Add((e, originId));
            }
            else
            {
                // Google filtered by our marker, so this should not happen; if it does, the event is not ours to delete.
                changes.Add(new RunChange(RunChange.Skip, side, null, e.Id, e.Summary, "not a copy this sync created: left alone"));
            }
        }
        // Every attempt meets the events it leaves alone again; the run records each of them once.
        await record.AddAsync(changes, 0, 0, 0, cancellationToken);

        foreach (var batch in copies.Chunk(BatchSize))
        {
            await DeleteBatchAsync(sync.Id, side, calendar, batch, record, cancellationToken);
        }
    }

    /// <summary>
    /// The origin id an event's marker names, if the event is a copy this sync wrote on this side: the marker
    /// names this sync and the event carries the id the sync gives a copy of that origin. Anything else (an
    /// origin, another sync's copy, an event that merely carries copied properties) is not ours.
    /// </summary>
    internal static string? OriginOfCopy(SyncDefinition sync, Side side, GoogleEvent e) =>
        CopyMarker.Read(e) is { } marker && marker.SyncId == sync.Id && sync.IsOriginSide(side.Other())
        && CopyIds.IsCopyId(sync.Id, side.Other(), marker.OriginEventId, e.Id)
            ? marker.OriginEventId
            : null;

    private async Task DeleteBatchAsync(
        Guid syncId, Side side, ICalendarSide calendar, (GoogleEvent Event, string OriginId)[] batch, AttemptRecord record, CancellationToken cancellationToken)
    {
        var results = await calendar.ExecuteAsync([.. batch.Select(c => CalendarOperation.DeleteEvent(calendar.CalendarId, c.Event.Id!, ifMatch: null))], cancellationToken);
        var changes = new List<RunChange>();
        GoogleApiException? retryable = null;
        for (var i = 0; i < batch.Length; i++)
        {
            var (copy, originId) = batch[i];
            switch (results[i].Error)
            {
                case null:
                    changes.Add(Removed(side, originId, copy, RemovedReason));
                    break;
                case { IsNotFound: true } or { IsGone: true }:
                    changes.Add(Removed(side, originId, copy, RemovedReason + " (already gone)"));
                    break;
                case { IsRetryable: true } error:
                    // The rest of the batch may have gone through: record it before the attempt stops.
                    retryable ??= error;
                    continue;
                case { } error:
                    changes.Add(new RunChange(RunChange.Skip, side, originId, copy.Id, copy.Summary, $"Google refused: {(int)error.StatusCode} {error.Reason}"));
                    continue;
            }
            await store.RemoveLinkOfCopyAsync(syncId, side, copy.Id!, cancellationToken);
        }
        await record.AddAsync(changes, 0, 0, changes.Count(c => c.Action == RunChange.Delete), cancellationToken);
        if (retryable is not null)
        {
            throw retryable;
        }
    }

    private static RunChange Removed(Side side, string originId, GoogleEvent copy, string reason) =>
        new(RunChange.Delete, side, originId, copy.Id, copy.Summary, reason);
}
