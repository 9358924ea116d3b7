using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>
/// Carries out a plan: writes in batch requests per side, one batch at a time, and each link stored the moment
/// its write succeeded (no transaction spans a call to Google); each returned batch is written down in the run
/// (<see cref="AttemptRecord"/>) before the next goes out. When the sides belong to different Google accounts,
/// each with its own quota, both sides are written at the same time. Races are handled per event: 409 on an
/// insert adopts the copy already there, 412 re-reads the pair and plans it again, a vanished event is treated
/// as gone. A retryable failure of one part stops the run once its batch is handled and recorded (links written
/// so far stay; the next attempt converges).
/// </summary>
public sealed class PlanExecutor(PlanInput context, ICalendarSide a, ICalendarSide b, SyncStateStore store, AttemptRecord record) : IDisposable
{
    private readonly SyncDefinition sync = context.Sync;

    /// <summary>Google's batch limit (<c>Google:MaxBatchSize</c> is at most this): one hand-over to a side is at most one batch request.</summary>
    internal const int BatchSize = 50;

    // Per pair (keyed by the A event id): the sides this run wrote, and the link as stored after them. Both
    // sides' writers commit through _pairs, so a pair written on both sides keeps both answers.
    private readonly Dictionary<string, (EventLink Link, HashSet<Side> Written)> _written = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _pairs = new(1, 1);

    private ICalendarSide SideOf(Side side) => side == Side.A ? a : b;

    public void Dispose() => _pairs.Dispose();

    public Task ExecuteAsync(IReadOnlyList<SyncAction> actions, CancellationToken cancellationToken) =>
        ExecuteAsync(actions, isRetry: false, cancellationToken);

    private async Task ExecuteAsync(IReadOnlyList<SyncAction> actions, bool isRetry, CancellationToken cancellationToken)
    {
        var writes = new List<SyncAction>();
        var noted = new BatchLog();
        foreach (var action in actions)
        {
            switch (action)
            {
                case SaveLink save:
                    await CommitAsync(save.Link, cancellationToken);
                    noted.Changes.Add(save.Change);
                    break;
                case RemoveLink remove:
                    await store.RemoveLinkAsync(sync.Id, remove.Link, cancellationToken);
                    noted.Changes.Add(remove.Change);
                    break;
                case Note note:
                    noted.Changes.Add(note.Change);
                    break;
                case SkipOrigin skip:
                    await store.RememberSkipAsync(sync.Id, skip.Skipped, cancellationToken);
                    noted.Changes.Add(skip.Change);
                    break;
                default:
                    writes.Add(action);
                    break;
            }
        }
        await WriteDownAsync(noted, cancellationToken);

        var stop = new StopSignal();
        var lanes = writes.GroupBy(TargetOf).Select(group => WriteSideAsync(group.Key, [.. group], isRetry, stop, cancellationToken));
        // One account's quota is shared by both of its calendars: writing them at once would only queue in its limiter.
        var retries = sync.A.AccountId != sync.B.AccountId
            ? await Task.WhenAll(lanes)
            : await SequentiallyAsync(lanes);
        if (retries.Any(r => r.Count > 0))
        {
            await ExecuteAsync([.. retries.SelectMany(r => r)], isRetry: true, cancellationToken);
        }
    }

    private static async Task<List<SyncAction>[]> SequentiallyAsync(IEnumerable<Task<List<SyncAction>>> lanes)
    {
        var done = new List<List<SyncAction>>();
        foreach (var lane in lanes)
        {
            done.Add(await lane);
        }
        return [.. done];
    }

    /// <summary>
    /// Writes one side's actions batch by batch; every part of a batch is handled (linked, recorded) before the
    /// first retryable error among them stops the run. The other side's writer finishes the batch it has out and stops too.
    /// </summary>
    private async Task<List<SyncAction>> WriteSideAsync(Side target, List<SyncAction> actions, bool isRetry, StopSignal stop, CancellationToken cancellationToken)
    {
        var retries = new List<SyncAction>();
        try
        {
            foreach (var batch in actions.Chunk(BatchSize))
            {
                if (stop.IsSet)
                {
                    break;
                }
                var results = await SideOf(target).ExecuteAsync([.. batch.Select(ToOperation)], cancellationToken);
                var log = new BatchLog();
                for (var i = 0; i < batch.Length; i++)
                {
                    retries.AddRange(await HandleAsync(batch[i], results[i], isRetry, log, cancellationToken));
                }
                await WriteDownAsync(log, cancellationToken);
                if (log.Retryable is { } error)
                {
                    throw error; // Rate limits and outages: the run is scheduled again; what went through is recorded.
                }
            }
            return retries;
        }
        catch
        {
            stop.Set();
            throw;
        }
    }

    /// <summary>Commits a succeeded write; returns follow-up actions for races (409, 412, 404).</summary>
    private async Task<IReadOnlyList<SyncAction>> HandleAsync(SyncAction action, BatchResult result, bool isRetry, BatchLog log, CancellationToken cancellationToken)
    {
        if (result.Error is { } error)
        {
            return await RecoverAsync(action, error, isRetry, log, cancellationToken);
        }
        switch (action)
        {
            case RetypeCopy retype:
                return await RetypedAsync(retype, cancellationToken);
            case DeleteEvent delete:
                await store.RemoveLinkAsync(sync.Id, delete.Link, cancellationToken);
                if (delete.Skipped is { } skipped)
                {
                    await store.RememberSkipAsync(sync.Id, skipped, cancellationToken);
                }
                log.Deleted++;
                break;
            case CreateCopy or UpdateCopy or PatchOrigin:
                var (target, link) = action switch
                {
                    CreateCopy c => (c.Target, c.Link),
                    UpdateCopy u => (u.Target, u.Link),
                    PatchOrigin p => (p.Target, p.Link),
                    _ => throw new InvalidOperationException(),
                };
                await CommitWrittenAsync(target, link, result.Event!, cancellationToken);
                if (action.Change.Action == RunChange.Create)
                {
                    log.Created++;
                }
                else
                {
                    log.Updated++;
                }
                break;
        }
        log.Changes.Add(action.Change);
        return action is PatchOrigin { Then: { } then } ? [then] : [];
    }

    /// <summary>
    /// Two writes to one pair (patch the origin, then fix its copy) build on each other's answers, whichever
    /// side's writer gets there first.
    /// </summary>
    private async Task CommitWrittenAsync(Side target, EventLink link, GoogleEvent written, CancellationToken cancellationToken)
    {
        await _pairs.WaitAsync(cancellationToken);
        try
        {
            var other = target.Other();
            var basis = _written.TryGetValue(link.AEventId, out var earlier) && earlier.Written.Contains(other)
                ? link.With(other, earlier.Link.HashOn(other), earlier.Link.EtagOn(other))
                : link;
            var stored = basis.With(target, EventContent.HashOf(written), written.Etag);
            await CommitAsync(stored, cancellationToken);
            var sides = earlier.Written ?? [];
            sides.Add(target);
            _written[link.AEventId] = (stored, sides);
        }
        finally
        {
            _pairs.Release();
        }
    }

    /// <summary>
    /// The old copy of a <see cref="RetypeCopy"/> is gone: the origin is linked to the new copy's id (its content not
    /// known yet) before the new copy is written, so a run stopped in between leaves one copy at most.
    /// </summary>
    private async Task<IReadOnlyList<SyncAction>> RetypedAsync(RetypeCopy retype, CancellationToken cancellationToken)
    {
        await CommitAsync(retype.Link.With(retype.Target, null, null), cancellationToken);
        return [new CreateCopy(retype.Target, retype.Body, retype.Link, retype.Change) { Instead = retype.Instead }];
    }

    private async Task<IReadOnlyList<SyncAction>> RecoverAsync(SyncAction action, GoogleApiException error, bool isRetry, BatchLog log, CancellationToken cancellationToken)
    {
        if (error.IsRetryable)
        {
            // The rest of the batch may have gone through: it is handled before the run stops on this.
            log.Retryable ??= error;
            return [];
        }
        if (error.StatusCode == System.Net.HttpStatusCode.BadRequest
            && action switch { CreateCopy c => c.Instead, UpdateCopy u => u.Instead, _ => null } is { } instead)
        {
            // Google refused the copy's own type (out of office, focus time): a busy copy instead.
            return [instead];
        }
        switch (action)
        {
            case RetypeCopy retype when error.IsGone || error.IsNotFound:
                return await RetypedAsync(retype, cancellationToken);
            case CreateCopy create when error.IsConflict && isRetry:
                // A copy written again under an id it had before (a change of type and back): it exists, so it is replaced.
                return [new UpdateCopy(create.Target, create.Body.Id!, create.Body, null, create.Link, create.Change) { Instead = create.Instead }];
            case DeleteEvent delete when error.IsGone || error.IsNotFound:
                await store.RemoveLinkAsync(sync.Id, delete.Link, cancellationToken);
                log.Changes.Add(action.Change with { Reason = action.Change.Reason + " (already gone)" });
                return [];
            case CreateCopy create when error.IsConflict && !isRetry:
            case UpdateCopy when error.IsPreconditionFailed && !isRetry:
            case PatchOrigin when error.IsPreconditionFailed && !isRetry:
            case DeleteEvent when error.IsPreconditionFailed && !isRetry:
                return await ReplanAsync(action, cancellationToken);
            case PatchOrigin patch when IsRefusedForTheirOrigin(error) && !isRetry:
                return await RevertCopyAsync(patch.Link, error, cancellationToken);
            case DeleteEvent delete when delete.Target == delete.Link.OriginSide && IsRefusedForTheirOrigin(error) && !isRetry:
                return await RevertCopyAsync(delete.Link, error, cancellationToken);
            case UpdateCopy update when error.IsNotFound && !isRetry:
                // The copy was purged (not merely cancelled): write it anew under the same id.
                return [new CreateCopy(update.Target, update.Body, update.Link, update.Change with { Action = RunChange.Create, Reason = "copy had vanished: recreated" })];
            default:
                // This one event cannot be written (Google refused it); the rest of the run goes on.
                log.Changes.Add(action.Change with { Action = RunChange.Skip, Reason = $"Google refused: {(int)error.StatusCode} {error.Reason}" });
                return [];
        }
    }

    /// <summary>Google says the person may not change this origin (a guest of someone else's event, say).</summary>
    private static bool IsRefusedForTheirOrigin(GoogleApiException error) =>
        error.StatusCode == System.Net.HttpStatusCode.Forbidden && error.Reason == GoogleErrorReasons.ForbiddenForNonOrganizer;

    /// <summary>
    /// Google refused to carry a copy's edit or deletion back to its origin: the copy is read-only, so it goes back
    /// to what the origin says (recreated if deleted), instead of the refused write repeating every run while the
    /// two sides drift apart.
    /// </summary>
    private async Task<IReadOnlyList<SyncAction>> RevertCopyAsync(EventLink link, GoogleApiException error, CancellationToken cancellationToken)
    {
        var (o, c) = (link.OriginSide, link.CopySide);
        var (origin, copy) = (await SideOf(o).GetAsync(link.OriginId, cancellationToken), await SideOf(c).GetAsync(link.CopyId, cancellationToken));
        var why = $"Google refused to change the origin ({(int)error.StatusCode} {error.Reason}): the copy is read-only";
        if (origin is not { IsCancelled: false })
        {
            return [new Note(SyncPlanner.Change(RunChange.Skip, o, link.OriginId, link.CopyId, copy?.Summary, why))];
        }
        var desired = CopyRules.RenderAs(sync, o, origin, link.CopyId);
        var updated = link.With(o, EventContent.HashOf(origin), origin.Etag).Spanning(origin);
        return [new UpdateCopy(c, link.CopyId, desired, copy?.Etag, updated,
            SyncPlanner.Change(RunChange.Update, c, link.OriginId, link.CopyId, origin.Summary, why + (copy is { IsCancelled: true } ? " and was restored" : " and was reverted")))];
    }

    /// <summary>Someone changed the pair while the run went on (412) or the copy already existed (409): read both again and plan just them.</summary>
    private async Task<IReadOnlyList<SyncAction>> ReplanAsync(SyncAction action, CancellationToken cancellationToken)
    {
        var link = action switch
        {
            CreateCopy c => c.Link,
            UpdateCopy u => u.Link,
            PatchOrigin p => p.Link,
            DeleteEvent d => d.Link,
            _ => throw new InvalidOperationException(),
        };
        var (eventA, eventB) = (await a.GetAsync(link.AEventId, cancellationToken), await b.GetAsync(link.BEventId, cancellationToken));
        var stored = await store.GetLinkAsync(sync.Id, Side.A, link.AEventId, cancellationToken);
        // Planned again as the run planned it (its window, and any settings change it applies), for just this pair.
        var input = context with
        {
            SeenA = Reread(Side.A, link.AEventId, eventA, stored ?? link),
            SeenB = Reread(Side.B, link.BEventId, eventB, stored ?? link),
            Links = stored is null ? [] : [stored],
        };
        return SyncPlanner.Plan(input).Actions;
    }

    /// <summary>
    /// One side of a pair as read again, falling back to what the run read when the event can no longer be
    /// fetched (an instance of a deleted series is listed as cancelled but answers 404), and keeping the origin's
    /// series master as the run read it: a series deleted as a whole can arrive as its cancelled master alone.
    /// </summary>
    private Dictionary<string, GoogleEvent> Reread(Side side, string eventId, GoogleEvent? current, EventLink link)
    {
        var seen = new Dictionary<string, GoogleEvent>();
        if (side == link.OriginSide && link.OriginSeriesId is { } series && context.Find(side, series) is { } master)
        {
            seen[series] = master;
        }
        if ((current ?? context.Find(side, eventId)) is { } known)
        {
            seen[eventId] = known;
        }
        return seen;
    }

    private Task CommitAsync(EventLink link, CancellationToken cancellationToken) => store.SaveLinkAsync(sync.Id, link, cancellationToken);

    private Task WriteDownAsync(BatchLog log, CancellationToken cancellationToken) =>
        log.Changes.Count == 0 ? Task.CompletedTask : record.AddAsync(log.Changes, log.Created, log.Updated, log.Deleted, cancellationToken);

    private static Side TargetOf(SyncAction action) => action switch
    {
        CreateCopy c => c.Target,
        UpdateCopy u => u.Target,
        PatchOrigin p => p.Target,
        DeleteEvent d => d.Target,
        RetypeCopy r => r.Target,
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    private CalendarOperation ToOperation(SyncAction action)
    {
        var calendar = SideOf(TargetOf(action)).CalendarId;
        return action switch
        {
            CreateCopy c => CalendarOperation.InsertEvent(calendar, c.Body),
            UpdateCopy u => CalendarOperation.UpdateEvent(calendar, u.EventId, u.Body, u.IfMatch),
            PatchOrigin p => CalendarOperation.PatchEvent(calendar, p.EventId, p.Patch, p.IfMatch),
            DeleteEvent d => CalendarOperation.DeleteEvent(calendar, d.EventId, d.IfMatch),
            // The old copy goes whatever was done to it: it is replaced by one of the new type.
            RetypeCopy r => CalendarOperation.DeleteEvent(calendar, r.OldLink.CopyId, ifMatch: null),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
    }

    /// <summary>What one batch (or the plan's notes) did, written down in the run once it is handled.</summary>
    private sealed class BatchLog
    {
        public List<RunChange> Changes { get; } = [];
        public int Created { get; set; }
        public int Updated { get; set; }
        public int Deleted { get; set; }

        /// <summary>The first part Google answered with a rate limit or an outage.</summary>
        public GoogleApiException? Retryable { get; set; }
    }

    /// <summary>Set by a side's writer that stopped on an error, so the other side's writer sends no further batch.</summary>
    private sealed class StopSignal
    {
        private volatile bool _set;

        public bool IsSet => _set;

        public void Set() => _set = true;
    }
}
