using Dapper;

namespace CalSync.Engine.Sync;

/// <summary>
/// The state a copy removal keeps. Unlike a sync run, whose attempt re-plans everything and so records its
/// changes afresh, a removal's deletions happen once: a retried attempt no longer sees the copies an earlier
/// attempt deleted, so each batch's changes are appended and the run's count is read back from them.
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

    /// <summary>Adds changes to a run's list, keeping what earlier attempts recorded.</summary>
    public async Task AppendChangesAsync(Guid runId, IReadOnlyList<RunChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await InsertChangesAsync(connection, transaction: null, runId, changes, cancellationToken);
    }

    /// <summary>Drops a run's changes of one action: skips are re-recorded by every attempt that still meets the event.</summary>
    public async Task RemoveChangesAsync(Guid runId, string action, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from run_changes where run_id = @runId and action = @action",
            new { runId, action }, cancellationToken: cancellationToken));
    }

    /// <summary>How many changes of one action a run has recorded, over all its attempts.</summary>
    public async Task<int> CountChangesAsync(Guid runId, string action, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "select count(*) from run_changes where run_id = @runId and action = @action",
            new { runId, action }, cancellationToken: cancellationToken));
    }
}
