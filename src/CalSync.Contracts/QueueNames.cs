namespace CalSync.Contracts;

/// <summary>
/// Queue names shared by publishers and consumers. Publishers bind the queue too, so a message published
/// before any worker has ever started waits in the queue instead of being dropped by an unbound exchange.
/// </summary>
public static class QueueNames
{
    public const string SyncRequested = "sync-requested";
}
