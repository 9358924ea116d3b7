namespace CalSync.Engine.Sync;

/// <summary>The two calendars of a sync. In a one-way sync A is the source and B the target.</summary>
public enum Side
{
    A,
    B,
}

public static class SideExtensions
{
    public static Side Other(this Side side) => side == Side.A ? Side.B : Side.A;
}

public enum SyncDirection
{
    OneWay,
    TwoWay,
}

/// <summary>Which side wins when both an origin and its copy changed since the last run (two-way only).</summary>
public enum ConflictPolicy
{
    /// <summary>The side where the event was created.</summary>
    OriginWins,
    /// <summary>The side whose event Google last updated.</summary>
    NewestWins,
    /// <summary>Side A (the "source").</summary>
    SourceWins,
    /// <summary>Side B (the "target").</summary>
    TargetWins,
}

public sealed record CalendarRef(Guid AccountId, string CalendarId);

/// <summary>How copies look in one direction: privacy mode hides what an event is, colour marks copies.</summary>
public sealed record CopyStyle(bool Privacy = false, string Placeholder = "Busy", string? ColorId = null)
{
    public static CopyStyle Plain { get; } = new();

    /// <summary>
    /// Names everything that shapes a copy, so a side can remember what its copies were rendered with and a
    /// change of settings re-renders them. Every setting added to copies must be added here.
    /// </summary>
    public string Fingerprint()
    {
        var canonical = string.Join('\u001f', "v1", Privacy ? "private" : "open", Placeholder, ColorId ?? "");
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)))[..32];
    }
}

/// <summary>What the engine needs to know of a sync; the Api validates it, storage holds it.</summary>
public sealed record SyncDefinition
{
    public required Guid Id { get; init; }
    public required SyncDirection Direction { get; init; }
    public required CalendarRef A { get; init; }
    public required CalendarRef B { get; init; }
    public int PastDays { get; init; }
    public int FutureDays { get; init; } = 90;

    /// <summary>Copies of A's events in B ("copyToTarget").</summary>
    public CopyStyle AToB { get; init; } = CopyStyle.Plain;

    /// <summary>Copies of B's events in A ("copyToSource"), two-way only.</summary>
    public CopyStyle BToA { get; init; } = CopyStyle.Plain;

    public ConflictPolicy ConflictPolicy { get; init; } = ConflictPolicy.OriginWins;

    public CopyStyle StyleForCopiesOf(Side originSide) => originSide == Side.A ? AToB : BToA;

    /// <summary>Can events that originate on this side be copied? One-way copies only from A.</summary>
    public bool IsOriginSide(Side side) => Direction == SyncDirection.TwoWay || side == Side.A;
}
