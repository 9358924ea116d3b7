using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>
/// An origin and its copy, as of the end of the last run that touched them: per side the event id, the
/// content hash and the etag. Comparing a side's current hash with the stored one tells whether that side
/// changed since; a null hash means "not known" (a link rebuilt from a copy's marker).
/// </summary>
public sealed record EventLink
{
    public required Side OriginSide { get; init; }
    public required string AEventId { get; init; }
    public required string BEventId { get; init; }
    public string? AHash { get; init; }
    public string? BHash { get; init; }
    public string? AEtag { get; init; }
    public string? BEtag { get; init; }

    /// <summary>The series the origin is an instance of (<c>recurringEventId</c>), if any.</summary>
    public string? OriginSeriesId { get; init; }

    /// <summary>
    /// When the origin happens (all-day dates taken generously, as <see cref="SyncWindow"/> does); null when not
    /// known (a link stored before CalSync kept it). A link whose origin ended before the window is retired.
    /// </summary>
    public DateTimeOffset? OriginStart { get; init; }

    public DateTimeOffset? OriginEnd { get; init; }

    public Side CopySide => OriginSide.Other();
    public string OriginId => IdOn(OriginSide);
    public string CopyId => IdOn(CopySide);

    public string IdOn(Side side) => side == Side.A ? AEventId : BEventId;
    public string? HashOn(Side side) => side == Side.A ? AHash : BHash;
    public string? EtagOn(Side side) => side == Side.A ? AEtag : BEtag;

    public EventLink With(Side side, string? hash, string? etag) => side == Side.A
        ? this with { AHash = hash, AEtag = etag }
        : this with { BHash = hash, BEtag = etag };

    /// <summary>The link with the origin's times as this event has them (times unknown are kept).</summary>
    public EventLink Spanning(GoogleEvent origin)
    {
        var (start, end) = SyncWindow.SpanOf(origin);
        return this with { OriginStart = start ?? OriginStart, OriginEnd = end ?? OriginEnd };
    }

    public static EventLink Between(Side originSide, string originId, string copyId, string? originSeriesId = null) => originSide == Side.A
        ? new EventLink { OriginSide = Side.A, AEventId = originId, BEventId = copyId, OriginSeriesId = originSeriesId }
        : new EventLink { OriginSide = Side.B, AEventId = copyId, BEventId = originId, OriginSeriesId = originSeriesId };
}
