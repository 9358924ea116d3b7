using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>
/// The heart of the engine, and pure: (sync, events read from each side, stored links) → actions.
/// No I/O, no clock; the same input always gives the same plan. The runner executes the plan.
/// <list type="bullet">
/// <item>Linked pairs: compare each side with the hash stored at the last run to tell which side changed;
/// one-way, the origin always wins (edits to copies are reverted); two-way, the changed side wins and a
/// double change goes to the conflict policy.</item>
/// <item>Unlinked origins inside the window get a copy under a deterministic id (adopting one already there).</item>
/// <item>Our copies without a link (a run interrupted between a write and its link) get their link back.</item>
/// <item>Copies are never origins; nothing is deleted because it was not seen.</item>
/// </list>
/// </summary>
public static class SyncPlanner
{
    /// <summary>
    /// Origins the planner needs but the listing did not return: a copy changed while its origin did
    /// not, so the origin's content must be read to revert (one-way) or merge into (two-way); or an
    /// instance of a series that changed, which may no longer exist (a series moved to other days gets
    /// new instances, and Google need not list the old ones as cancelled).
    /// </summary>
    public static IReadOnlyList<(Side Side, string EventId)> RequiredReads(PlanInput input)
    {
        var touchedSeries = new HashSet<(Side, string)>();
        foreach (var side in (Side[])[Side.A, Side.B])
        {
            foreach (var e in input.Seen(side).Values)
            {
                touchedSeries.Add((side, e.RecurringEventId ?? e.Id!));
            }
        }
        return [.. input.Links
            .Where(link => input.Find(link.OriginSide, link.OriginId) is null
                && (StateOf(input.Find(link.CopySide, link.CopyId), link.HashOn(link.CopySide)) is SideState.Changed or SideState.Deleted
                    || input.Restyled.Contains(link.CopySide)
                    // Instances of a touched series, but only those the window still covers: never a read per past instance.
                    || (link.OriginSeriesId is { } series && touchedSeries.Contains((link.OriginSide, series))
                        && (link.OriginEnd is not { } end || end > input.Window.Start))))
            .Select(link => (link.OriginSide, link.OriginId))];
    }

    /// <summary>
    /// Remembered skips that no longer hold: origins seen deleted, or seen passing their direction's rules (they are
    /// copied now). Forgetting them keeps <c>skipped_origins</c> to the origins a rule still skips.
    /// </summary>
    public static IReadOnlyList<(Side Side, string EventId)> StaleSkips(PlanInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return [.. input.Skipped.Keys.Where(key => input.Find(key.Side, key.EventId) is { } origin
            && (origin.IsCancelled || CopyRules.Evaluate(input.Sync, key.Side, origin, CopyIds.For(input.Sync.Id, key.Side, key.EventId)) is MakeCopy))];
    }

    public static SyncPlan Plan(PlanInput input)
    {
        var actions = new List<SyncAction>();
        var linked = new HashSet<(Side, string)>();
        foreach (var link in input.Links)
        {
            linked.Add((Side.A, link.AEventId));
            linked.Add((Side.B, link.BEventId));
            new LinkPlanner(input, link, actions).Plan();
        }
        foreach (var side in (Side[])[Side.A, Side.B])
        {
            foreach (var e in input.Seen(side).Values.OrderBy(e => e.Id, StringComparer.Ordinal))
            {
                if (!linked.Contains((side, e.Id!)))
                {
                    PlanUnlinked(input, side, e, actions);
                }
            }
        }
        return new SyncPlan(actions);
    }

    internal static SideState StateOf(GoogleEvent? e, string? storedHash) => e switch
    {
        null => SideState.Unseen,
        { IsCancelled: true } => SideState.Deleted,
        _ when storedHash == EventContent.HashOf(e) => SideState.Same,
        _ => SideState.Changed,
    };

    private static void PlanUnlinked(PlanInput input, Side side, GoogleEvent e, List<SyncAction> actions)
    {
        var sync = input.Sync;
        if (CopyMarker.Read(e) is { } marker)
        {
            if (!marker.IsGenuine(e))
            {
                // Someone planted CalSync's marker on an event of their own (or copied a copy): it is neither a
                // copy CalSync may manage nor an origin to copy, so it is left alone.
                actions.Add(new Note(Change(RunChange.Skip, side, null, e.Id, e.Summary, "carries CalSync's copy marker but is not a copy CalSync made: left alone")));
                return;
            }
            // Ours, unlinked: a run stopped between writing this copy and storing its link. If its origin
            // was read too, the origin's turn below adopts it; otherwise rebuild the link from the marker.
            // A copy of an origin that ended before the window has a retired link: nothing to rebuild.
            if (marker.IsCopyOf(sync.Id, side, e) && !e.IsCancelled && input.Find(side.Other(), marker.OriginEventId) is null
                && !input.Window.EndedBefore(e))
            {
                var rebuilt = EventLink.Between(side.Other(), marker.OriginEventId, e.Id!).With(side, EventContent.HashOf(e), e.Etag).Spanning(e);
                actions.Add(new SaveLink(rebuilt, Change(RunChange.Adopt, side, marker.OriginEventId, e, "copy had no link (interrupted run): link rebuilt")));
            }
            return; // Copies are never origins: no loops, no copies of copies.
        }
        if (!sync.IsOriginSide(side) || e.IsCancelled || !input.Window.Overlaps(e))
        {
            return;
        }

        var target = side.Other();
        var copyId = CopyRules.CopyIdOf(sync, side, e);
        var verdict = CopyRules.Evaluate(sync, side, e, copyId);
        if (verdict is SkipCopy skip)
        {
            var skipped = SkippedOrigin.Of(side, e, skip);
            // Said once: a run that sees the origin again, unchanged and skipped by the same rule, stays quiet.
            if (input.Skipped.GetValueOrDefault((side, e.Id!)) != skipped.Fingerprint)
            {
                actions.Add(new SkipOrigin(skipped, Change(RunChange.Skip, side, e.Id, null, e.Summary, skip.Reason)));
            }
            return;
        }
        var desired = ((MakeCopy)verdict).Body;
        var link = EventLink.Between(side, e.Id!, copyId, e.RecurringEventId).With(side, EventContent.HashOf(e), e.Etag).Spanning(e);
        var instead = desired.EventType is null ? null : BusyInstead(input, side, e, CopyRules.Shown(desired.EventType));
        switch (input.Find(target, copyId))
        {
            case { IsCancelled: false } existing when EventContent.HashOf(existing) == EventContent.HashOf(desired):
                actions.Add(new SaveLink(link.With(target, EventContent.HashOf(existing), existing.Etag),
                    Change(RunChange.Adopt, target, e.Id, copyId, e.Summary, "copy already there (interrupted run): adopted")));
                break;
            case { } existing:
                var reason = existing.IsCancelled ? "copy had been deleted: restored" : "copy already there (interrupted run): adopted and updated";
                actions.Add(new UpdateCopy(target, copyId, desired, existing.Etag, link,
                    Change(existing.IsCancelled ? RunChange.Create : RunChange.Adopt, target, e.Id, copyId, e.Summary, reason)) { Instead = instead });
                break;
            default:
                actions.Add(new CreateCopy(target, desired, link, Change(RunChange.Create, target, e.Id, copyId, e.Summary, "new event")) { Instead = instead });
                break;
        }
    }

    /// <summary>A busy copy, should Google refuse one of the origin's own type (an account without out-of-office or focus time).</summary>
    internal static CreateCopy BusyInstead(PlanInput input, Side side, GoogleEvent origin, string shown)
    {
        var copyId = CopyIds.For(input.Sync.Id, side, origin.Id!);
        var link = EventLink.Between(side, origin.Id!, copyId, origin.RecurringEventId).With(side, EventContent.HashOf(origin), origin.Etag).Spanning(origin);
        return new CreateCopy(side.Other(), CopyRules.RenderAs(input.Sync, side, origin, copyId), link,
            Change(RunChange.Create, side.Other(), origin.Id, copyId, origin.Summary, $"Google refused the copy as {shown}: copied as a busy event"));
    }

    internal static RunChange Change(string action, Side side, string? originId, string? copyId, string? summary, string reason) =>
        new(action, side, originId, copyId, summary, reason);

    private static RunChange Change(string action, Side side, string? originId, GoogleEvent copy, string reason) =>
        new(action, side, originId, copy.Id, copy.Summary, reason);
}

/// <summary>How a side's event compares with the link's record of it.</summary>
internal enum SideState
{
    /// <summary>Not read in this run: unchanged since the last run (or, on a full listing, outside the window).</summary>
    Unseen,
    Same,
    Changed,
    Deleted,
}
