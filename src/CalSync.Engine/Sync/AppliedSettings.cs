namespace CalSync.Engine.Sync;

/// <summary>
/// How a sync's current settings differ from those its copies were made with, as the sides remember them:
/// a copy style that changed (every copy on that side is re-rendered), a window that now reaches further back
/// (a full listing copies what is newly inside) or one whose end moved earlier (copies beyond it are removed).
/// </summary>
public sealed record AppliedSettings(SyncDefinition Sync, IReadOnlySet<Side> Restyled, bool Narrowed)
{
    public static AppliedSettings Compare(SyncDefinition sync, SyncWindow window, SideReadState a, SideReadState b)
    {
        var restyled = new HashSet<Side>();
        foreach (var (side, state) in (ReadOnlySpan<(Side, SideReadState)>)[(Side.A, a), (Side.B, b)])
        {
            // A side holds copies when the other side's events are copied to it; a side never synced has none yet.
            if (HoldsCopies(sync, side) && state.WindowEnd is not null && state.CopiesStyle != StyleOf(sync, side))
            {
                restyled.Add(side);
            }
        }
        // Time only moves the window's end later, so a covered end beyond today's end means futureDays shrank.
        var narrowed = (a.WindowEnd is { } endA && endA > window.End) || (b.WindowEnd is { } endB && endB > window.End);
        return new AppliedSettings(sync, restyled, narrowed);
    }

    /// <summary>The fingerprint to remember for the copies on a side once a run has applied the settings.</summary>
    public string? StyleOn(Side side) => HoldsCopies(Sync, side) ? StyleOf(Sync, side) : null;

    /// <summary>Does the window now start before what this side's listings covered (a larger <c>pastDays</c>)?</summary>
    public static bool Widened(SideReadState state, SyncWindow window) => state.WindowStart is { } start && window.Start < start;

    private static bool HoldsCopies(SyncDefinition sync, Side side) => sync.IsOriginSide(side.Other());

    private static string StyleOf(SyncDefinition sync, Side side) => sync.StyleForCopiesOf(side.Other()).Fingerprint();
}
