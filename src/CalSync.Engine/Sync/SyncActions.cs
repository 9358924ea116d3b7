using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>What a run records about one event: the rows of <c>run_changes</c>.</summary>
public sealed record RunChange(string Action, Side Side, string? OriginEventId, string? CopyEventId, string? Summary, string Reason)
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";
    public const string Adopt = "adopt";
    public const string Skip = "skip";
    public const string Conflict = "conflict";
}

/// <summary>
/// One step of a plan. Writes carry the link as it should be stored once they succeed; the runner fills
/// in the written side's hash and etag from Google's answer.
/// </summary>
public abstract record SyncAction(RunChange Change);

/// <summary>Insert a copy under its deterministic id (a 409 means it exists: adopt it).</summary>
public sealed record CreateCopy(Side Target, GoogleEvent Body, EventLink Link, RunChange Change) : SyncAction(Change)
{
    /// <summary>What to write instead when Google refuses the copy's event type (400): a busy copy.</summary>
    public SyncAction? Instead { get; init; }
}

/// <summary>Replace an event CalSync owns (a copy) with its desired state; also brings back a cancelled copy.</summary>
public sealed record UpdateCopy(Side Target, string EventId, GoogleEvent Body, string? IfMatch, EventLink Link, RunChange Change) : SyncAction(Change)
{
    /// <inheritdoc cref="CreateCopy.Instead"/>
    public SyncAction? Instead { get; init; }
}

/// <summary>
/// Give a copy another event type, which Google never changes on an event: delete the copy, link the origin to the
/// copy id of the new type, then write the new copy (<see cref="Body"/>). In that order, a run stopped halfway
/// leaves no second copy behind, and the next run, still applying the rule change, finishes the job.
/// <see cref="Instead"/> brings the old copy back if Google refuses the new type.
/// </summary>
public sealed record RetypeCopy(Side Target, EventLink OldLink, GoogleEvent Body, EventLink Link, SyncAction? Instead, RunChange Change) : SyncAction(Change);

/// <summary>Patch an origin CalSync does not own (two-way), so fields it does not model are kept.</summary>
public sealed record PatchOrigin(Side Target, string EventId, EventPatch Patch, string? IfMatch, EventLink Link, RunChange Change) : SyncAction(Change)
{
    /// <summary>
    /// The copy's removal, once the patch went through: the edit carried back makes the origin fail its direction's
    /// rules. Only after it, so that an edit Google refused never costs the copy.
    /// </summary>
    public DeleteEvent? Then { get; init; }
}

/// <summary>Delete an event, then forget its link; a copy deleted because a rule now skips its origin remembers that skip.</summary>
public sealed record DeleteEvent(Side Target, string EventId, string? IfMatch, EventLink Link, RunChange Change, SkippedOrigin? Skipped = null) : SyncAction(Change);

/// <summary>Store a link without writing to Google (adopting an identical copy, refreshing hashes).</summary>
public sealed record SaveLink(EventLink Link, RunChange Change) : SyncAction(Change);

/// <summary>Forget a link whose events are both gone.</summary>
public sealed record RemoveLink(EventLink Link, RunChange Change) : SyncAction(Change);

/// <summary>Nothing to do, but worth recording (a conflict's resolution, an origin that could not be read).</summary>
public sealed record Note(RunChange Change) : SyncAction(Change);

/// <summary>A rule skips an origin: recorded once, and remembered so that the next runs stay quiet about it.</summary>
public sealed record SkipOrigin(SkippedOrigin Skipped, RunChange Change) : SyncAction(Change);

/// <summary>
/// An origin a rule skipped, as of this run: <see cref="Fingerprint"/> names the origin's content and the rule, so
/// the skip is reported again only when either changed.
/// </summary>
public sealed record SkippedOrigin(Side Side, string EventId, string Fingerprint)
{
    /// <summary>
    /// When the origin ends (all-day dates taken generously, as <see cref="EventLink.OriginEnd"/>): once that is before
    /// the window, the skip is forgotten, since no run reads the origin again.
    /// </summary>
    public DateTimeOffset? OriginEnd { get; init; }

    public static SkippedOrigin Of(Side side, GoogleEvent origin, SkipCopy skip)
    {
        var canonical = string.Join('\u001f', EventContent.HashOf(origin), skip.Rule, skip.Why);
        return new SkippedOrigin(side, origin.Id!, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)))[..32])
        {
            OriginEnd = SyncWindow.SpanOf(origin).End,
        };
    }
}

/// <summary>A plan: the actions in order, how many of them delete (for the mass-deletion guard), and what they would record.</summary>
public sealed record SyncPlan(IReadOnlyList<SyncAction> Actions)
{
    public int Deletes => Actions.Count(a => a is DeleteEvent or PatchOrigin { Then: not null });

    /// <summary>Every change the plan would make, a patch's follow-up deletion included (what a dry run shows).</summary>
    public IReadOnlyList<RunChange> Changes => [.. Actions.SelectMany(a => a is PatchOrigin { Then: { } then } ? [a.Change, then.Change] : new[] { a.Change })];
}
