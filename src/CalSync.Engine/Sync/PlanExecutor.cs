using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>
/// Carries out a plan: writes in batch requests per side, and each link stored the moment its write
/// succeeded (no transaction spans a call to Google). Races are handled per event: 409 on an insert
/// adopts the copy already there, 412 re-reads the pair and plans it again, a vanished event is
/// treated as gone. A retryable failure stops the run (links written so far stay; the next run converges).
/// </summary>
public sealed class PlanExecutor(PlanInput context, ICalendarSide a, ICalendarSide b, SyncStateStore store)
{
    private readonly SyncDefinition sync = context.Sync;

    private readonly List<RunChange> _changes = [];
    // Per pair (keyed by the A event id): the sides this run wrote, and the link as stored after them.
    private readonly Dictionary<string, (EventLink Link, HashSet<Side> Written)> _written = new(StringComparer.Ordinal);

    public IReadOnlyList<RunChange> Changes => _changes;

    public int Created { get; private set; }
    public int Updated { get; private set; }
    public int Deleted { get; private set; }
    public int Skipped { get; private set; }

    private ICalendarSide SideOf(Side side) => side == Side.A ? a : b;

    public async Task ExecuteAsync(IReadOnlyList<SyncAction> actions, CancellationToken cancellationToken, bool isRetry = false)
    {
        var writes = new List<SyncAction>();
        foreach (var action in actions)
        {
            switch (action)
            {
                case SaveLink save:
                    await CommitAsync(save.Link, cancellationToken);
                    Record(save.Change);
                    break;
                case RemoveLink remove:
                    await store.RemoveLinkAsync(sync.Id, remove.Link, cancellationToken);
                    Record(remove.Change);
                    break;
                case Note note:
                    Record(note.Change);
                    break;
                default:
                    writes.Add(action);
                    break;
            }
        }

        var retries = new List<SyncAction>();
        foreach (var group in writes.GroupBy(TargetOf))
        {
            var batch = group.ToList();
            var results = await SideOf(group.Key).ExecuteAsync([.. batch.Select(ToOperation)], cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                retries.AddRange(await HandleAsync(batch[i], results[i], isRetry, cancellationToken));
            }
        }
        if (retries.Count > 0)
        {
            await ExecuteAsync(retries, cancellationToken, isRetry: true);
        }
    }

    /// <summary>Commits a succeeded write; returns follow-up actions for races (409, 412, 404).</summary>
    private async Task<IReadOnlyList<SyncAction>> HandleAsync(SyncAction action, BatchResult result, bool isRetry, CancellationToken cancellationToken)
    {
        if (result.Error is { } error)
        {
            return await RecoverAsync(action, error, isRetry, cancellationToken);
        }
        switch (action)
        {
            case DeleteEvent delete:
                await store.RemoveLinkAsync(sync.Id, delete.Link, cancellationToken);
                Deleted++;
                break;
            case CreateCopy or UpdateCopy or PatchOrigin:
                var (target, link) = action switch
                {
                    CreateCopy c => (c.Target, c.Link),
                    UpdateCopy u => (u.Target, u.Link),
                    PatchOrigin p => (p.Target, p.Link),
                    _ => throw new InvalidOperationException(),
                };
                // Two writes to one pair (patch the origin, then fix its copy) build on each other's answers.
                var other = target.Other();
                var basis = _written.TryGetValue(link.AEventId, out var earlier) && earlier.Written.Contains(other)
                    ? link.With(other, earlier.Link.HashOn(other), earlier.Link.EtagOn(other))
                    : link;
                var stored = basis.With(target, EventContent.HashOf(result.Event!), result.Event!.Etag);
                await CommitAsync(stored, cancellationToken);
                var written = earlier.Written ?? [];
                written.Add(target);
                _written[link.AEventId] = (stored, written);
                if (action.Change.Action == RunChange.Create)
                {
                    Created++;
                }
                else
                {
                    Updated++;
                }
                break;
        }
        _changes.Add(action.Change);
        return [];
    }

    private async Task<IReadOnlyList<SyncAction>> RecoverAsync(SyncAction action, GoogleApiException error, bool isRetry, CancellationToken cancellationToken)
    {
        if (error.IsRetryable)
        {
            throw error; // Rate limits and outages: the run is scheduled again; nothing half-done is recorded wrongly.
        }
        switch (action)
        {
            case DeleteEvent delete when error.IsGone || error.IsNotFound:
                await store.RemoveLinkAsync(sync.Id, delete.Link, cancellationToken);
                Record(action.Change with { Reason = action.Change.Reason + " (already gone)" });
                return [];
            case CreateCopy create when error.IsConflict && !isRetry:
            case UpdateCopy when error.IsPreconditionFailed && !isRetry:
            case PatchOrigin when error.IsPreconditionFailed && !isRetry:
            case DeleteEvent when error.IsPreconditionFailed && !isRetry:
                return await ReplanAsync(action, cancellationToken);
            case UpdateCopy update when error.IsNotFound && !isRetry:
                // The copy was purged (not merely cancelled): write it anew under the same id.
                return [new CreateCopy(update.Target, update.Body, update.Link, update.Change with { Action = RunChange.Create, Reason = "copy had vanished: recreated" })];
            default:
                // This one event cannot be written (Google refused it); the rest of the run goes on.
                Record(action.Change with { Action = RunChange.Skip, Reason = $"Google refused: {(int)error.StatusCode} {error.Reason}" });
                return [];
        }
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
        var stored = (await store.GetLinksAsync(sync.Id, DateTimeOffset.MinValue, cancellationToken)).FirstOrDefault(l => l.AEventId == link.AEventId);
        // Planned again as the run planned it (its window, and any settings change it applies), for just this pair.
        var input = context with
        {
            SeenA = eventA is null ? new Dictionary<string, GoogleEvent>() : new() { [eventA.Id!] = eventA },
            SeenB = eventB is null ? new Dictionary<string, GoogleEvent>() : new() { [eventB.Id!] = eventB },
            Links = stored is null ? [] : [stored],
        };
        return SyncPlanner.Plan(input).Actions;
    }

    private Task CommitAsync(EventLink link, CancellationToken cancellationToken) => store.SaveLinkAsync(sync.Id, link, cancellationToken);

    private void Record(RunChange change)
    {
        _changes.Add(change);
        if (change.Action == RunChange.Skip)
        {
            Skipped++;
        }
    }

    private static Side TargetOf(SyncAction action) => action switch
    {
        CreateCopy c => c.Target,
        UpdateCopy u => u.Target,
        PatchOrigin p => p.Target,
        DeleteEvent d => d.Target,
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
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
    }
}
