using System.Text.Json;
using System.Text.Json.Serialization;

namespace CalSync.Engine.Sync;

/// <summary>What becomes of an invitation the person answered "maybe" or has not answered yet.</summary>
public enum InvitationRule
{
    /// <summary>Copied as it is (busy or free as the origin says).</summary>
    Copy,
    /// <summary>Copied as free time.</summary>
    Free,
    /// <summary>Copied as busy time.</summary>
    Busy,
    Skip,
}

/// <summary>Events the origin marks as free (<c>transparent</c>).</summary>
public enum FreeEventRule
{
    Copy,
    Skip,
}

/// <summary>All-day events: every one, only those marked busy, or none.</summary>
public enum AllDayRule
{
    All,
    BusyOnly,
    Skip,
}

/// <summary>Out-of-office and focus-time events: copied as busy default events, as their own type, or not at all.</summary>
public enum BusyTypeRule
{
    Busy,
    Skip,
    /// <summary>
    /// Copied as an out-of-office (focus-time) event where the target accepts one: its account's primary calendar,
    /// and a timed event (Google allows neither elsewhere). Anywhere else, or where Google refuses it, a busy event.
    /// </summary>
    OwnType,
}

/// <summary>Working-location and birthday events describe the person, not their time: skipped unless asked for (then copied as free).</summary>
public enum PersonalTypeRule
{
    Skip,
    Copy,
}

/// <summary>
/// The part of the week events are copied from: days of the week and a from/to time of day in an IANA zone.
/// An event overlapping the edge of a working stretch is copied whole.
/// </summary>
public sealed record WorkingHours(IReadOnlyList<DayOfWeek> Days, TimeOnly From, TimeOnly To, string TimeZone)
{
    public bool Equals(WorkingHours? other) =>
        other is not null && Days.Order().SequenceEqual(other.Days.Order()) && From == other.From && To == other.To && TimeZone == other.TimeZone;

    public override int GetHashCode() => HashCode.Combine(Days.Count, From, To, TimeZone);
}

/// <summary>
/// Which origins are copied in one direction. Every member defaults to what CalSync always did, except
/// <see cref="SkipDeclined"/>: nobody wants a declined invitation blocking their time.
/// </summary>
public sealed record CopyFilter
{
    public static CopyFilter Default { get; } = new();

    /// <summary>An invitation the person declined is not copied (its copy goes when they decline later).</summary>
    public bool SkipDeclined { get; init; } = true;

    /// <summary>Invitations answered "maybe".</summary>
    public InvitationRule Tentative { get; init; } = InvitationRule.Copy;

    /// <summary>Invitations not answered yet.</summary>
    public InvitationRule NeedsAction { get; init; } = InvitationRule.Copy;

    public FreeEventRule FreeEvents { get; init; } = FreeEventRule.Copy;

    public AllDayRule AllDay { get; init; } = AllDayRule.All;

    /// <summary>Null: every hour of every day.</summary>
    public WorkingHours? WorkingHours { get; init; }

    /// <summary>When not empty, only events whose title (or description, with <see cref="MatchDescription"/>) holds one of these, ignoring case.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Events whose title (or description, with <see cref="MatchDescription"/>) holds one of these, ignoring case, are not copied.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    public bool MatchDescription { get; init; }

    /// <summary>When not empty, only events with one of these colour ids (an event without a colour of its own has none).</summary>
    public IReadOnlyList<string> IncludeColors { get; init; } = [];

    public IReadOnlyList<string> ExcludeColors { get; init; } = [];

    public BusyTypeRule OutOfOffice { get; init; } = BusyTypeRule.Busy;

    public BusyTypeRule FocusTime { get; init; } = BusyTypeRule.Busy;

    public PersonalTypeRule WorkingLocation { get; init; } = PersonalTypeRule.Skip;

    public PersonalTypeRule Birthday { get; init; } = PersonalTypeRule.Skip;

    // Lists compare by their items, so equal settings are equal (a patch that changes nothing writes nothing).
    public bool Equals(CopyFilter? other) => other is not null && RuleJson.Canonical(this) == RuleJson.Canonical(other);

    public override int GetHashCode() => RuleJson.Canonical(this).GetHashCode(StringComparison.Ordinal);
}

/// <summary>The JSON form the rules are stored in (and fingerprinted by): camelCase, enums as camelCase strings.</summary>
public static class RuleJson
{
    // Unknown members are ignored, not refused: a worker still running the previous version reads rules a newer
    // Api stored (the Api refuses unknown members in requests itself).
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public static string Canonical<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>A direction's rules as stored (<c>syncs.a_to_b_rules</c>); null when they are all the defaults.</summary>
    public static string? Store(CopyStyle style)
    {
        ArgumentNullException.ThrowIfNull(style);
        return style.Filter == CopyFilter.Default && style.Look == CopyLook.Default
            ? null
            : JsonSerializer.Serialize(new StoredRules(style.Filter, style.Look), Options);
    }

    /// <summary>The style with the stored rules applied (null: the defaults).</summary>
    public static CopyStyle Read(CopyStyle style, string? stored)
    {
        ArgumentNullException.ThrowIfNull(style);
        if (stored is null)
        {
            return style;
        }
        var rules = JsonSerializer.Deserialize<StoredRules>(stored, Options) ?? new StoredRules(CopyFilter.Default, CopyLook.Default);
        return style with { Filter = rules.Filter, Look = rules.Look };
    }

    private sealed record StoredRules(CopyFilter Filter, CopyLook Look);
}
