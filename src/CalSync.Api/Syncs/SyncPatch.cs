namespace CalSync.Api.Syncs;

// JSON merge patch (RFC 7396) must tell a member left out ("keep it") from one sent as null ("remove it"). The
// serializer calls a setter only for members present in the body, null included, so each setter notes that its
// member was given; the types stay plain for the serializer's errors and the OpenAPI schema.

/// <summary>
/// Body of <c>PATCH /api/syncs/{id}</c>, a JSON merge patch: members left out keep their values, a member sent as
/// null returns to its default (<c>schedule</c>: none, <c>colorId</c>: none, <c>pastDays</c>: 0, ...). The result is
/// validated as a whole, as for a create. <c>source</c>, <c>target</c> and <c>direction</c> cannot change (copies are
/// linked to the calendars they were made in); sending their current values is fine.
/// </summary>
public sealed class SyncPatch
{
    private readonly HashSet<string> _given = [];

    /// <summary>As in <see cref="SyncBody.Name"/>; cannot be null.</summary>
    public string? Name { get; init { field = value; _given.Add(nameof(Name)); } }

    /// <summary>Only its current value is accepted.</summary>
    public SyncCalendar? Source { get; init { field = value; _given.Add(nameof(Source)); } }

    /// <summary>Only its current value is accepted.</summary>
    public SyncCalendar? Target { get; init { field = value; _given.Add(nameof(Target)); } }

    /// <summary>Only its current value is accepted.</summary>
    public string? Direction { get; init { field = value; _given.Add(nameof(Direction)); } }

    /// <summary>0 to 3650; null: 0.</summary>
    public int? PastDays { get; init { field = value; _given.Add(nameof(PastDays)); } }

    /// <summary>1 to 3650; null: 90.</summary>
    public int? FutureDays { get; init { field = value; _given.Add(nameof(FutureDays)); } }

    /// <summary>Merged into the current options; null: the defaults.</summary>
    public CopyOptionsPatch? CopyToTarget { get; init { field = value; _given.Add(nameof(CopyToTarget)); } }

    /// <summary>Two-way syncs only; merged into the current options; null: the defaults.</summary>
    public CopyOptionsPatch? CopyToSource { get; init { field = value; _given.Add(nameof(CopyToSource)); } }

    /// <summary><c>origin-wins</c>, <c>newest-wins</c>, <c>source-wins</c> or <c>target-wins</c>; null: origin-wins.</summary>
    public string? ConflictPolicy { get; init { field = value; _given.Add(nameof(ConflictPolicy)); } }

    /// <summary>Merged into the current schedule; null: no schedule.</summary>
    public SchedulePatch? Schedule { get; init { field = value; _given.Add(nameof(Schedule)); } }

    /// <summary>null: true.</summary>
    public bool? Active { get; init { field = value; _given.Add(nameof(Active)); } }

    /// <summary>Whether the body had this member (by its C# name), null or not.</summary>
    public bool Has(string member) => _given.Contains(member);
}

/// <summary>A merge patch of <see cref="CopyOptions"/>; null <c>privacy</c> is false, null <c>placeholder</c> "Busy".</summary>
public sealed class CopyOptionsPatch
{
    private readonly HashSet<string> _given = [];

    /// <summary>null: false.</summary>
    public bool? Privacy { get; init { field = value; _given.Add(nameof(Privacy)); } }

    /// <summary>1 to 100 characters; null: "Busy".</summary>
    public string? Placeholder { get; init { field = value; _given.Add(nameof(Placeholder)); } }

    /// <summary>"1" to "11"; null: none.</summary>
    public string? ColorId { get; init { field = value; _given.Add(nameof(ColorId)); } }

    /// <summary>Merged into the current filter (members left out keep their values, null ones return to their defaults); null: the defaults.</summary>
    public CopyFilterBody? Filter { get; init { field = value; _given.Add(nameof(Filter)); } }

    /// <summary>Merged into the current look; null: the defaults.</summary>
    public CopyLookBody? Look { get; init { field = value; _given.Add(nameof(Look)); } }

    public bool Has(string member) => _given.Contains(member);
}

/// <summary>A merge patch of <see cref="SyncScheduleBody"/>: a sync without a schedule needs both members.</summary>
public sealed class SchedulePatch
{
    private readonly HashSet<string> _given = [];

    /// <summary>A 5-field cron.</summary>
    public string? Cron { get; init { field = value; _given.Add(nameof(Cron)); } }

    /// <summary>An IANA time zone.</summary>
    public string? TimeZone { get; init { field = value; _given.Add(nameof(TimeZone)); } }

    public bool Has(string member) => _given.Contains(member);
}
