using CalSync.Engine.Sync;

namespace CalSync.Engine.Push;

/// <summary>A sync that reads a watched calendar, as its side <paramref name="Side"/>.</summary>
public sealed record SyncReading(Guid SyncId, Side Side);

/// <summary>A calendar some active sync reads, through a connected account.</summary>
public sealed record WatchedCalendar(Guid AccountId, string CalendarId);

/// <summary>Whether a calendar is watched: until when, or what Google said when it refused.</summary>
public sealed record WatchStatus
{
    public required Guid AccountId { get; init; }
    public required string CalendarId { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public string? Problem { get; init; }

    public WatchedCalendar Calendar => new(AccountId, CalendarId);
}

/// <summary>A row of <c>watch_channels</c>.</summary>
public sealed record WatchChannel
{
    public required string Id { get; init; }
    public required Guid AccountId { get; init; }
    public required string CalendarId { get; init; }
    public required byte[] TokenHash { get; init; }
    public string? ResourceId { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public required string Status { get; init; }
    public DateTimeOffset? RenewAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StopRequestedAt { get; init; }

    public WatchedCalendar Calendar => new(AccountId, CalendarId);
}

/// <summary>Channel statuses as stored.</summary>
public static class ChannelStatus
{
    public const string Pending = "pending";
    public const string Active = "active";
    public const string Retiring = "retiring";
    public const string Stopped = "stopped";
}
