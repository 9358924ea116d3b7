using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>Plans one linked pair (origin and copy): the truth table of <see cref="SyncPlanner"/>.</summary>
internal sealed class LinkPlanner(PlanInput input, EventLink link, List<SyncAction> actions)
{
    private readonly Side _o = link.OriginSide;
    private readonly Side _c = link.CopySide;
    private readonly GoogleEvent? _origin = input.Find(link.OriginSide, link.OriginId);
    private readonly GoogleEvent? _copy = input.Find(link.CopySide, link.CopyId);

    private CopyStyle Style => input.Sync.StyleForCopiesOf(_o);

    public void Plan()
    {
        var originState = _origin is null && SeriesCancelled() ? SideState.Deleted : SyncPlanner.StateOf(_origin, link.HashOn(_o));
        var copyState = SyncPlanner.StateOf(_copy, link.HashOn(_c));
        var originChanged = originState is SideState.Changed or SideState.Deleted;
        var copyChanged = copyState is SideState.Changed or SideState.Deleted;
        if (input.Narrowed && originState != SideState.Deleted && OriginBeyondWindow())
        {
            Delete(_c, link.CopyId, _copy, "origin is now beyond the sync's window (futureDays was reduced)");
            return;
        }
        // A rule that now skips the origin (it changed, or the rules did) takes its copy away, whatever the copy went through.
        if (_origin is { IsCancelled: false } origin && originState != SideState.Deleted
            && CopyRules.Evaluate(input.Sync, _o, origin, link.CopyId) is SkipCopy skip)
        {
            Delete(_c, link.CopyId, _copy, $"copy removed, its origin is no longer copied: {skip.Why} (rule {skip.Rule})", SkippedOrigin.Of(_o, origin, skip));
            return;
        }
        if (!originChanged && !copyChanged)
        {
            if (input.Restyled.Contains(_c) && _origin is { IsCancelled: false })
            {
                FromOrigin(originState, "the sync's copy settings changed", explained: true);
            }
            return;
        }

        if (input.Sync.Direction == SyncDirection.OneWay || !copyChanged)
        {
            FromOrigin(originState, copyChanged && !originChanged ? "copy was edited: reverted to its origin" : "origin changed");
            return;
        }
        var access = _origin is null ? null : OriginAccess.Of(_origin);
        if (!originChanged)
        {
            if (access is { } a && !(copyState == SideState.Deleted ? a.CanDelete : a.CanPatch))
            {
                // The person may not change this origin: the copy goes back to what the origin says.
                FromOrigin(originState, copyState == SideState.Deleted
                    ? $"copy was deleted, but {a.Why}: restored (read-only copy)"
                    : $"copy was edited, but {a.Why}: reverted (read-only copy)", explained: true);
                return;
            }
            FromCopy(copyState);
            return;
        }

        var winner = Resolve(originState);
        var reason = $"origin and copy both changed; {Describe(winner)} wins ({PolicyName})";
        if (winner == _c && access is { } readOnly && !(copyState == SideState.Deleted ? readOnly.CanDelete : readOnly.CanPatch))
        {
            winner = _o;
            reason = $"origin and copy both changed; the origin wins: {readOnly.Why} (read-only copy)";
        }
        actions.Add(new Note(SyncPlanner.Change(RunChange.Conflict, winner, link.OriginId, link.CopyId, (_origin ?? _copy)?.Summary, reason)));
        if (winner == _o)
        {
            FromOrigin(originState, "conflict resolved for the origin");
        }
        else
        {
            FromCopy(copyState);
        }
    }

    /// <summary>After the window shrank: does the origin (as read, or as the link remembers it) start beyond its end?</summary>
    private bool OriginBeyondWindow() => _origin is { } origin
        ? input.Window.StartsAfterEnd(origin)
        : link.OriginStart is { } start && start >= input.Window.End;

    /// <summary>Make the copy match its origin: delete, update, revert or restore.</summary>
    private void FromOrigin(SideState originState, string reason, bool explained = false)
    {
        if (originState == SideState.Deleted)
        {
            Delete(_c, link.CopyId, _copy, "origin was deleted");
            return;
        }
        if (_origin is null)
        {
            actions.Add(new Note(SyncPlanner.Change(RunChange.Skip, _c, link.OriginId, link.CopyId, _copy?.Summary, "origin could not be read")));
            return;
        }

        // Only a change of the rules changes a copy's type: a copy Google refused in its own type stays busy.
        if (input.Restyled.Contains(_c) && CopyRules.CopyIdOf(input.Sync, _o, _origin) is var wanted && wanted != link.CopyId)
        {
            Retype(_origin, wanted, reason);
            return;
        }
        var desired = Render(_origin);
        var desiredHash = EventContent.HashOf(desired);
        var copyHash = _copy is null ? link.HashOn(_c) : _copy.IsCancelled ? null : EventContent.HashOf(_copy);
        var updated = link.With(_o, EventContent.HashOf(_origin), _origin.Etag).Spanning(_origin);
        if (copyHash == desiredHash)
        {
            // Nothing to write (say, a privacy copy of an origin whose title changed); remember the new state.
            var refreshed = updated.With(_c, copyHash, _copy?.Etag ?? link.EtagOn(_c));
            if (refreshed != link)
            {
                actions.Add(new SaveLink(refreshed, SyncPlanner.Change(RunChange.Skip, _c, link.OriginId, link.CopyId, _origin.Summary, "copy already up to date")));
            }
            return;
        }
        if (_copy is { IsCancelled: true } && !explained)
        {
            reason = "copy was deleted by hand: restored";
        }
        actions.Add(new UpdateCopy(_c, link.CopyId, desired, _copy?.Etag ?? link.EtagOn(_c), updated,
            SyncPlanner.Change(RunChange.Update, _c, link.OriginId, link.CopyId, _origin.Summary, reason))
        {
            // A copy of its own type not written yet (a change of type stopped halfway) may still meet Google's refusal.
            Instead = desired.EventType is null ? null : SyncPlanner.BusyInstead(input, _o, _origin, CopyRules.Shown(desired.EventType)),
        });
    }

    /// <summary>Two-way: carry the copy's edit or deletion back to the origin.</summary>
    private void FromCopy(SideState copyState)
    {
        if (copyState == SideState.Deleted)
        {
            Delete(_o, link.OriginId, _origin, "copy was deleted (two-way)");
            return;
        }
        if (_origin is null || _copy is null)
        {
            actions.Add(new Note(SyncPlanner.Change(RunChange.Skip, _o, link.OriginId, link.CopyId, _copy?.Summary, "origin could not be read")));
            return;
        }

        var merged = CopyRenderer.MergeIntoOrigin(_origin, _copy, Style);
        var withCopy = link.With(_c, EventContent.HashOf(_copy), _copy.Etag).Spanning(merged);
        var patch = OriginPatches.Between(_origin, merged);
        // The edit may make the origin fail its direction's rules: then the copy goes too, after the patch.
        var removal = patch is not null && CopyRules.Evaluate(input.Sync, _o, merged, link.CopyId) is SkipCopy skip
            ? new DeleteEvent(_c, link.CopyId, _copy.Etag, withCopy,
                SyncPlanner.Change(RunChange.Delete, _c, link.OriginId, link.CopyId, merged.Summary, $"copy removed, its origin is no longer copied: {skip.Why} (rule {skip.Rule})"),
                SkippedOrigin.Of(_o, merged, skip))
            : null;
        if (patch is not null)
        {
            actions.Add(new PatchOrigin(_o, link.OriginId, patch, _origin.Etag, withCopy,
                SyncPlanner.Change(RunChange.Update, _o, link.OriginId, link.CopyId, merged.Summary, "copy was edited (two-way)")) { Then = removal });
        }
        if (removal is not null)
        {
            return;
        }

        // The copy may still differ from what the merged origin renders to (its colour, say): fix it now,
        // so that the next run has nothing to do.
        var desired = Render(merged);
        if (EventContent.HashOf(desired) != EventContent.HashOf(_copy))
        {
            actions.Add(new UpdateCopy(_c, link.CopyId, desired, _copy.Etag, withCopy,
                SyncPlanner.Change(RunChange.Update, _c, link.OriginId, link.CopyId, merged.Summary, "copy brought in line with its origin")));
        }
        else if (patch is null)
        {
            // The edit made the copy what the origin already renders to: just remember its new state.
            actions.Add(new SaveLink(withCopy.With(_o, EventContent.HashOf(_origin), _origin.Etag),
                SyncPlanner.Change(RunChange.Skip, _c, link.OriginId, link.CopyId, merged.Summary, "copy already up to date")));
        }
    }

    private GoogleEvent Render(GoogleEvent origin, string? copyId = null) => CopyRules.RenderAs(input.Sync, _o, origin, copyId ?? link.CopyId);

    /// <summary>
    /// The rules changed the type the copy should have: it is replaced, as Google never changes an event's type.
    /// Should Google refuse the new type (an account without out-of-office or focus time), the busy copy comes back.
    /// </summary>
    private void Retype(GoogleEvent origin, string wanted, string reason)
    {
        var body = Render(origin, wanted);
        var originHash = EventContent.HashOf(origin);
        var relinked = EventLink.Between(_o, link.OriginId, wanted, link.OriginSeriesId).With(_o, originHash, origin.Etag).Spanning(origin);
        var shown = CopyRules.Shown(body.EventType);
        var instead = body.EventType is null ? null : new UpdateCopy(_c, link.CopyId, Render(origin), null, link.With(_o, originHash, origin.Etag).Spanning(origin),
            SyncPlanner.Change(RunChange.Update, _c, link.OriginId, link.CopyId, origin.Summary, $"Google refused the copy as {shown}: it stays a busy event"));
        actions.Add(new RetypeCopy(_c, link, body, relinked, instead,
            SyncPlanner.Change(RunChange.Update, _c, link.OriginId, wanted, origin.Summary, $"{reason}: copied as {shown} (a new event, as Google never changes an event's type)")));
    }

    private void Delete(Side side, string eventId, GoogleEvent? current, string reason, SkippedOrigin? skipped = null)
    {
        if (current is { IsCancelled: true })
        {
            actions.Add(new RemoveLink(link, SyncPlanner.Change(RunChange.Skip, side, link.OriginId, link.CopyId, current.Summary, skipped is null ? "both events are gone" : reason)));
            return;
        }
        actions.Add(new DeleteEvent(side, eventId, current?.Etag ?? link.EtagOn(side), link,
            SyncPlanner.Change(RunChange.Delete, side, link.OriginId, link.CopyId, current?.Summary ?? (_origin ?? _copy)?.Summary, reason), skipped));
    }

    /// <summary>A deleted series can arrive as its cancelled master alone; its instances are then gone too.</summary>
    private bool SeriesCancelled() => link.OriginSeriesId is { } series && input.Find(_o, series) is { IsCancelled: true };

    private Side Resolve(SideState originState)
    {
        // A deleted origin is never brought back by an edit to its copy: CalSync does not own it.
        if (originState == SideState.Deleted)
        {
            return _o;
        }
        return input.Sync.ConflictPolicy switch
        {
            ConflictPolicy.SourceWins => Side.A,
            ConflictPolicy.TargetWins => Side.B,
            ConflictPolicy.NewestWins => (_copy?.Updated ?? DateTimeOffset.MinValue) > (_origin?.Updated ?? DateTimeOffset.MinValue) ? _c : _o,
            _ => _o,
        };
    }

    private string Describe(Side winner) => winner == _o ? "the origin" : "the copy";

    private string PolicyName => input.Sync.ConflictPolicy switch
    {
        ConflictPolicy.NewestWins => "newest-wins",
        ConflictPolicy.SourceWins => "source-wins",
        ConflictPolicy.TargetWins => "target-wins",
        _ => "origin-wins",
    };
}
