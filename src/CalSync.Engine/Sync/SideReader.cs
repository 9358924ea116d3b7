using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>What one side's reading produced: the events seen, how, and the state to store if the run completes.</summary>
public sealed record SideRead(IReadOnlyDictionary<string, GoogleEvent> Events, bool Full, SideReadState Next)
{
    /// <summary>Not listed at all (a push run told of the other side only): its stored state must stay as it is.</summary>
    public bool Skipped { get; init; }
}

/// <summary>
/// Reads what changed on one side with as few calls as Google allows: the changes since the stored sync
/// token (no window parameters), plus a listing of just the slice the window moved by; a full window
/// listing on the first run, after 410, when asked, and as a periodic safety net.
/// </summary>
public static class SideReader
{
    /// <summary>Reads one side; a full listing covers <paramref name="listing"/> when given (the old window, after it shrank).</summary>
    public static async Task<SideRead> ReadAsync(
        ICalendarSide side, SideReadState state, SyncWindow window, bool full, DateTimeOffset now, CancellationToken cancellationToken, SyncWindow? listing = null)
    {
        if (!full && state is { SyncToken: { } token, WindowEnd: { } coveredEnd })
        {
            switch (await side.ListAsync(EventListQuery.Changes(token), cancellationToken))
            {
                case EventListing changes:
                    var events = ById(changes.Events);
                    if (window.End > coveredEnd)
                    {
                        // Events that entered the window without changing are not in the change feed.
                        var slice = await ListWindowAsync(side, coveredEnd, window.End, cancellationToken);
                        foreach (var e in slice.Events.Where(e => !events.ContainsKey(e.Id!)))
                        {
                            events[e.Id!] = e;
                        }
                    }
                    var next = state with { SyncToken = changes.NextSyncToken, WindowStart = window.Start, WindowEnd = Max(window.End, coveredEnd) };
                    return new SideRead(events, Full: false, next);
                case SyncTokenExpired:
                    break; // 410: Google wants a full listing.
            }
        }

        var covered = listing ?? window;
        var all = await ListWindowAsync(side, covered.Start, covered.End, cancellationToken);
        return new SideRead(
            ById(all.Events),
            Full: true,
            state with { SyncToken = all.NextSyncToken, WindowStart = window.Start, WindowEnd = window.End, LastFullListing = now });
    }

    /// <summary>
    /// Google's paging is not a snapshot: an event changed while the pages were read can appear twice.
    /// The later appearance is the newer state, so it wins.
    /// </summary>
    private static Dictionary<string, GoogleEvent> ById(IEnumerable<GoogleEvent> events)
    {
        var byId = new Dictionary<string, GoogleEvent>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            byId[e.Id!] = e;
        }
        return byId;
    }

    private static async Task<EventListing> ListWindowAsync(ICalendarSide side, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken) =>
        await side.ListAsync(EventListQuery.Window(start, end) with { ShowDeleted = true }, cancellationToken) as EventListing
            ?? throw new InvalidOperationException("A window listing without a sync token cannot expire.");

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
