using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>
/// Everything the planner looks at: the sync, its window, the events read from each side in this run
/// (changes since the last run, or the whole window on a full listing, plus events fetched on request)
/// and the stored links.
/// </summary>
public sealed record PlanInput
{
    public required SyncDefinition Sync { get; init; }
    public required SyncWindow Window { get; init; }
    public required IReadOnlyDictionary<string, GoogleEvent> SeenA { get; init; }
    public required IReadOnlyDictionary<string, GoogleEvent> SeenB { get; init; }
    public required IReadOnlyList<EventLink> Links { get; init; }

    /// <summary>Sides whose copies were rendered with other settings than the sync's current ones: every copy there is checked.</summary>
    public IReadOnlySet<Side> Restyled { get; init; } = new HashSet<Side>();

    /// <summary>Origins a rule skipped in an earlier run, by side and id: the fingerprint of that skip.</summary>
    public IReadOnlyDictionary<(Side Side, string EventId), string> Skipped { get; init; } = new Dictionary<(Side, string), string>();

    /// <summary>The window's end moved earlier (a smaller <c>futureDays</c>): copies of origins beyond it are removed.</summary>
    public bool Narrowed { get; init; }

    public IReadOnlyDictionary<string, GoogleEvent> Seen(Side side) => side == Side.A ? SeenA : SeenB;

    public GoogleEvent? Find(Side side, string eventId) => Seen(side).GetValueOrDefault(eventId);
}
