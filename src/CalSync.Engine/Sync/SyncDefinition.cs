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

/// <summary>
/// The copy rules of one direction: which origins are copied (<see cref="Filter"/>), how the copies look
/// (<see cref="Look"/>), privacy mode (a preset over the look) and the colour given to every copy.
/// </summary>
public sealed record CopyStyle(bool Privacy = false, string Placeholder = "Busy", string? ColorId = null)
{
    public static CopyStyle Plain { get; } = new();

    public CopyFilter Filter { get; init; } = CopyFilter.Default;

    public CopyLook Look { get; init; } = CopyLook.Default;

    /// <summary>The look copies get: privacy mode overrides the look's text and visibility.</summary>
    public CopyLook EffectiveLook => Privacy ? Look.WithPrivacy() : Look;

    /// <summary>
    /// Names everything that shapes a copy or decides whether there is one, so a side can remember what its copies
    /// were made with and a change of settings is applied to them (and, the filter changed, the origins are listed
    /// again in full). Every setting added to copies must be added here.
    /// </summary>
    public string Fingerprint()
    {
        var canonical = string.Join('\u001f', "v2", Privacy ? "private" : "open", Placeholder, ColorId ?? "",
            RuleJson.Canonical(Filter), RuleJson.Canonical(Look));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)))[..32];
    }
}

/// <summary>What <c>{calendar}</c> and <c>{account}</c> stand for in a title template: the origin's calendar and its account.</summary>
public sealed record SideLabel(string Calendar, string Account)
{
    public static SideLabel None { get; } = new("", "");
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

    /// <summary>Side A's calendar name and account email (for title templates).</summary>
    public SideLabel LabelA { get; init; } = SideLabel.None;

    public SideLabel LabelB { get; init; } = SideLabel.None;

    public SideLabel LabelOf(Side side) => side == Side.A ? LabelA : LabelB;

    /// <summary>The name of a direction's rules in the sync's JSON (<c>copyToTarget</c> for copies of A's events).</summary>
    public static string RulesName(Side originSide) => originSide == Side.A ? "copyToTarget" : "copyToSource";

    public CopyStyle StyleForCopiesOf(Side originSide) => originSide == Side.A ? AToB : BToA;

    public CalendarRef CalendarOf(Side side) => side == Side.A ? A : B;

    /// <summary>
    /// Does this side's calendar take out-of-office and focus-time events? Google keeps them to an account's
    /// primary calendar, whose id is the account's address (or, before the Api resolved it, <c>primary</c>).
    /// </summary>
    public bool IsPrimaryCalendar(Side side) =>
        CalendarOf(side).CalendarId == "primary" || string.Equals(CalendarOf(side).CalendarId, LabelOf(side).Account, StringComparison.OrdinalIgnoreCase);

    /// <summary>Can events that originate on this side be copied? One-way copies only from A.</summary>
    public bool IsOriginSide(Side side) => Direction == SyncDirection.TwoWay || side == Side.A;
}
