namespace CalSync.GoogleEmulator.Push;

/// <summary>A registered events.watch channel.</summary>
internal sealed class WatchChannel
{
    public required string Id { get; init; }

    public required string ResourceId { get; init; }

    public required string ResourceUri { get; init; }

    /// <summary>What is watched: "events" or "acl" of <see cref="CalendarId"/>, or the owner's "calendarList" or "settings".</summary>
    public required string Kind { get; init; }

    /// <summary>The watched calendar, or null for calendarList and settings channels.</summary>
    public string? CalendarId { get; init; }

    public required string Address { get; init; }

    public string? Token { get; init; }

    public required DateTimeOffset Expiration { get; init; }

    public required string OwnerEmail { get; init; }

    /// <summary>Next X-Goog-Message-Number; 1 is the sync message.</summary>
    public long NextMessageNumber { get; set; } = 1;
}
