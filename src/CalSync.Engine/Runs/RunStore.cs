using Dapper;
using Npgsql;

namespace CalSync.Engine.Runs;

/// <summary>The <c>runs</c> table: queueing (with coalescing), state transitions and reads.</summary>
public sealed class RunStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Columns =
        """
        id, sync_id as SyncId, trigger, status, full_resync as FullResync, dry_run as DryRun,
        created, updated, deleted, skipped, api_calls as ApiCalls, error, attempts, worker,
        queued_at as QueuedAt, started_at as StartedAt, finished_at as FinishedAt, next_attempt_at as NextAttemptAt
        """;

    /// <summary>
    /// Queues a run, or returns the run of this sync (and kind) that is already queued and not started:
    /// the partial unique index makes coalescing race-free.
    /// </summary>
    public async Task<(Run Run, bool Created)> EnqueueAsync(Guid syncId, string trigger, bool fullResync, bool dryRun, CancellationToken cancellationToken)
    {
        if (!RunTrigger.IsValid(trigger))
        {
            throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "Unknown run trigger.");
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Loop: the queued run we coalesce into may start between the insert and the select.
        while (true)
        {
            var inserted = await connection.QuerySingleOrDefaultAsync<Run>(new CommandDefinition(
                $"""
                insert into runs (id, sync_id, trigger, status, full_resync, dry_run, queued_at)
                values (@id, @syncId, @trigger, 'queued', @fullResync, @dryRun, @now)
                on conflict (sync_id, dry_run) where status = 'queued' do nothing
                returning {Columns}
                """,
                new { id = Guid.CreateVersion7(time.GetUtcNow()), syncId, trigger, fullResync, dryRun, now = time.GetUtcNow() },
                cancellationToken: cancellationToken));
            if (inserted is not null)
            {
                return (inserted, true);
            }

            // A full resync asked of a waiting run upgrades it rather than being lost.
            var waiting = await connection.QuerySingleOrDefaultAsync<Run>(new CommandDefinition(
                $"""
                update runs set full_resync = full_resync or @fullResync
                where sync_id = @syncId and dry_run = @dryRun and status = 'queued'
                returning {Columns}
                """,
                new { syncId, dryRun, fullResync }, cancellationToken: cancellationToken));
            if (waiting is not null)
            {
                return (waiting, false);
            }
        }
    }

    public async Task<Run?> GetAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Run>(new CommandDefinition(
            $"select {Columns} from runs where id = @runId", new { runId }, cancellationToken: cancellationToken));
    }

    /// <summary>Records that a message for the run went out, so the dispatcher knows it is not stranded.</summary>
    public async Task MarkPublishedAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update runs set published_at = @now where id = @runId",
            new { runId, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Moves a queued run to running, or takes over a run left running by a worker that died (the caller
    /// holds the sync's lock, so nobody else is running it). Null when the run has finished meanwhile.
    /// </summary>
    public async Task<Run?> TryStartAsync(Guid runId, string worker, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Run>(new CommandDefinition(
            $"""
            update runs
            set status = 'running', started_at = coalesce(started_at, @now), worker = @worker, attempts = attempts + 1
            where id = @runId and status in ('queued', 'running')
            returning {Columns}
            """,
            new { runId, worker, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    /// <summary>Finishes a running run with its outcome; null when it was not running (already finished).</summary>
    public async Task<Run?> FinishAsync(Guid runId, string status, RunOutcome outcome, string? error, CancellationToken cancellationToken)
    {
        if (!RunStatus.IsFinished(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A run can only finish as succeeded, failed or needs_confirmation.");
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Run>(new CommandDefinition(
            $"""
            update runs
            set status = @status, created = @Created, updated = @Updated, deleted = @Deleted, skipped = @Skipped,
                api_calls = @ApiCalls, error = @error, finished_at = @now, next_attempt_at = null
            where id = @runId and status = 'running'
            returning {Columns}
            """,
            new { runId, status, outcome.Created, outcome.Updated, outcome.Deleted, outcome.Skipped, outcome.ApiCalls, error, now = time.GetUtcNow() },
            cancellationToken: cancellationToken));
    }
}
