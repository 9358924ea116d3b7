using CalSync.Engine.Hosting;
using CalSync.Engine.Runs;
using Dapper;
using Npgsql;

namespace CalSync.Engine.Sync;

public enum SyncDeletionStatus
{
    /// <summary>The sync is deleted now; its queued runs ended failed.</summary>
    Deleted,

    /// <summary>No such sync of this user, or it was deleted already: nothing changed (the Api answers 404).</summary>
    NotFound,
}

/// <summary>
/// What <see cref="SyncDeletion.DeleteAsync"/> did. <see cref="RemovalRun"/> is the queued
/// <see cref="RunKind.RemoveCopies"/> run when copies are to be removed: the caller announces it with
/// <c>SyncRequested</c> as for any queued run (the dispatcher re-publishes it if that fails).
/// </summary>
public sealed record SyncDeletionResult(SyncDeletionStatus Status, Run? RemovalRun, IReadOnlyList<Guid> EndedRunIds)
{
    public static SyncDeletionResult NotFound { get; } = new(SyncDeletionStatus.NotFound, null, []);
}

/// <summary>
/// Deletes a sync (DELETE /api/syncs/{id}?removeCopies=...). The row stays (soft delete) so its runs stay
/// readable, and every reader for normal work skips it. Removing copies is Google work, so it is queued as a
/// run for a worker, which takes the sync's lock: a run executing right now finishes first, and the removal
/// then finds what that run wrote too.
/// </summary>
public sealed class SyncDeletion(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const string EndedRunError = "The sync was deleted.";

    /// <summary>
    /// In one transaction: marks the sync deleted and inactive, ends its queued runs as failed, and queues a
    /// copy removal when <paramref name="removeCopies"/>. Only the owner's, not yet deleted sync is deleted:
    /// concurrent calls serialise on the row, and the second finds it deleted.
    /// </summary>
    public async Task<SyncDeletionResult> DeleteAsync(Guid userId, Guid syncId, bool removeCopies, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            """
            update syncs set deleted_at = @now, active = false, updated_at = @now
            where id = @syncId and user_id = @userId and deleted_at is null
            returning id
            """,
            new { syncId, userId, now }, transaction, cancellationToken: cancellationToken));
        if (deleted is null)
        {
            return SyncDeletionResult.NotFound; // Disposing the transaction rolls it back; nothing was written.
        }

        // Waiting runs would only fail once started; end them now, so the run list says why at once.
        var ended = (await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            update runs set status = 'failed', error = @error, finished_at = @now, next_attempt_at = null
            where sync_id = @syncId and status = 'queued'
            returning id
            """,
            new { syncId, error = EndedRunError, now }, transaction, cancellationToken: cancellationToken))).ToList();

        var removal = removeCopies
            ? await connection.QuerySingleAsync<Run>(new CommandDefinition(
                $"""
                insert into runs (id, sync_id, kind, trigger, status, full_resync, dry_run, queued_at, trace_parent)
                values (@id, @syncId, 'remove_copies', 'manual', 'queued', false, false, @now, @traceParent)
                returning {RunStore.Columns}
                """,
                new { id = Guid.CreateVersion7(now), syncId, now, traceParent = Telemetry.CurrentTraceParent }, transaction, cancellationToken: cancellationToken))
            : null;
        await transaction.CommitAsync(cancellationToken);
        return new SyncDeletionResult(SyncDeletionStatus.Deleted, removal, ended);
    }
}
