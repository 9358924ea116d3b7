using Dapper;

namespace CalSync.Engine.Sync;

/// <summary>
/// The links a copy removal forgets. Its deletions happen once: a retried attempt no longer sees the copies an
/// earlier attempt deleted, and each batch's changes are added to the run's list as it returns.
/// </summary>
public sealed partial class SyncStateStore
{
    /// <summary>Forgets the link of one copy the moment it is deleted.</summary>
    public async Task RemoveLinkOfCopyAsync(Guid syncId, Side copySide, string copyEventId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            copySide == Side.A
                ? "delete from event_links where sync_id = @syncId and a_event_id = @copyEventId and origin_side = 'B'"
                : "delete from event_links where sync_id = @syncId and b_event_id = @copyEventId and origin_side = 'A'",
            new { syncId, copyEventId }, cancellationToken: cancellationToken));
    }

    /// <summary>Forgets every link of a sync whose copies are all gone (ones deleted by hand earlier leave theirs behind).</summary>
    public async Task RemoveAllLinksAsync(Guid syncId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from event_links where sync_id = @syncId", new { syncId }, cancellationToken: cancellationToken));
    }
}
