namespace CalSync.Engine.Google.Models;

/// <summary>
/// String maps attached to an event. <see cref="Private"/> belongs to this calendar's copy only (CalSync
/// marks its copies there). A null value in a patch deletes that key.
/// </summary>
public sealed record EventExtendedProperties
{
    public IReadOnlyDictionary<string, string?>? Private { get; init; }
    public IReadOnlyDictionary<string, string?>? Shared { get; init; }
}

/// <summary>An event's reminders; CalSync turns them off on copies (<c>useDefault=false</c>, no overrides).</summary>
public sealed record EventReminders
{
    public bool? UseDefault { get; init; }
    public IReadOnlyList<EventReminder>? Overrides { get; init; }

    public static EventReminders None { get; } = new() { UseDefault = false, Overrides = [] };
}

public sealed record EventReminder(string Method, int Minutes);
