using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Google;

/// <summary>The outcome of an events listing: the events, or Google's 410 saying the sync token expired.</summary>
public abstract record EventListResult;

/// <summary>Every page of the listing; <see cref="NextSyncToken"/> lists the changes after it next time.</summary>
public sealed record EventListing(IReadOnlyList<GoogleEvent> Events, string? NextSyncToken, int Pages) : EventListResult
{
    public override string ToString() => $"EventListing {{ Events = {Events.Count}, Pages = {Pages}, HasSyncToken = {NextSyncToken is not null} }}";
}

/// <summary>410 <c>fullSyncRequired</c>: the sync token is no longer valid; list the window in full instead.</summary>
public sealed record SyncTokenExpired : EventListResult
{
    public static SyncTokenExpired Instance { get; } = new();
}
