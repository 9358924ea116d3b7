using CalSync.Engine.Hosting;
using CalSync.Engine.Sync;
using Dapper;
using Npgsql;

namespace CalSync.Engine.Runs;

/// <summary>The <c>runs</c> table: queueing (with coalescing), state transitions and reads.</summary>
public sealed class RunStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    internal const string Columns =
        """
        id, sync_id as SyncId, kind, trigger, status, full_resync as FullResync, dry_run as DryRun, confirm_deletes as ConfirmDeletes,
        created, updated, deleted, skipped, api_calls as ApiCalls, error, attempts, worker,
        queued_at as QueuedAt, started_at as StartedAt, finished_at as FinishedAt, next_attempt_at as NextAttemptAt,
        trace_parent as TraceParent,
        notified_sides as NotifiedSides
        """;

    /// <summary>
    /// Queues a sync run, or returns the sync run of this sync (and dry-run flag) that is already queued and
    /// not started: the partial unique index makes coalescing race-free. A queued copy removal is a run of
    /// another kind and never absorbs a trigger.
    /// </summary>
    public Task<(Run Run, bool Created)> EnqueueAsync(Guid syncId, string trigger, bool fullResync, bool dryRun, CancellationToken cancellationToken) =>
        EnqueueAsync(syncId, trigger, fullResync, dryRun, confirmDeletes: false, cancellationToken);

    /// <summary>
    /// As the other overload; <paramref name="confirmDeletes"/> lets the run delete past the mass-deletion guard
    /// (a person confirmed what a <c>needs_confirmation</c> run listed). Like a full resync, it upgrades a waiting run.
    /// </summary>
    public Task<(Run Run, bool Created)> EnqueueAsync(
        Guid syncId, string trigger, bool fullResync, bool dryRun, bool confirmDeletes, CancellationToken cancellationToken) =>
        EnqueueAsync(syncId, trigger, fullResync, dryRun, confirmDeletes, sides: null, cancellationToken);

    /// <summary>Queues a <c>push</c> run that lists only <paramref name="notified"/>, or joins the sync's waiting run.</summary>
    public Task<(Run Run, bool Created)> EnqueuePushAsync(Guid syncId, IReadOnlyCollection<Side> notified, CancellationToken cancellationToken)
    {
        return EnqueueAsync(syncId, RunTrigger.Push, fullResync: false, dryRun: false, confirmDeletes: false, Run.SidesText(notified), cancellationToken);
    }

    /// <summary><paramref name="sides"/>: the calendars a push run needs to list (<c>a</c>, <c>b</c>, <c>ab</c>), null for both.</summary>
    private async Task<(Run Run, bool Created)> EnqueueAsync(
        Guid syncId, string trigger, bool fullResync, bool dryRun, bool confirmDeletes, string? sides, CancellationToken cancellationToken)
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
                insert into runs (id, sync_id, kind, trigger, status, full_resync, dry_run, confirm_deletes, queued_at, trace_parent, notified_sides)
                values (@id, @syncId, 'sync', @trigger, 'queued', @fullResync, @dryRun, @confirmDeletes, @now, @traceParent, @sides)
                on conflict (sync_id, kind, dry_run) where status = 'queued' do nothing
                returning {Columns}
                """,
                new { id = Guid.CreateVersion7(time.GetUtcNow()), syncId, trigger, fullResync, dryRun, confirmDeletes, now = time.GetUtcNow(), traceParent = Telemetry.CurrentTraceParent, sides },
                cancellationToken: cancellationToken));
            if (inserted is not null)
            {
                return (inserted, true);
            }

            // A full resync or a confirmation asked of a waiting run upgrades it rather than being lost; so does
            // a calendar notified since, and any other trigger makes it list both calendars.
            var waiting = await connection.QuerySingleOrDefaultAsync<Run>(new CommandDefinition(
                $"""
                update runs set full_resync = full_resync or @fullResync, confirm_deletes = confirm_deletes or @confirmDeletes,
                    notified_sides = case when notified_sides is null or @sides::text is null then null
                                          when notified_sides = @sides then notified_sides else 'ab' end
                where sync_id = @syncId and kind = 'sync' and dry_run = @dryRun and status = 'queued'
                returning {Columns}
                """,
                new { syncId, dryRun, fullResync, confirmDeletes, sides }, cancellationToken: cancellationToken));
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
    /// holds the sync's lock, so nobody else is running it), and records the attempt. Null when the run has
    /// finished meanwhile.
    /// </summary>
    public async Task<Run?> TryStartAsync(Guid runId, string worker, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Run>(new CommandDefinition(
            $"""
            with started as (
                update runs
                set status = 'running', started_at = coalesce(started_at, @now), worker = @worker,
                    attempts = attempts + 1, next_attempt_at = null
                where id = @runId and status in ('queued', 'running')
                returning *
            ), attempt as (
                insert into run_attempts (run_id, attempt, worker, started_at)
                select id, attempts, @worker, @now from started
            )
            select {Columns} from started
            """,
            new { runId, worker, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Adds what a running attempt did since its last report to the run row (see <see cref="AttemptProgress"/>):
    /// the row is the sum of every attempt, rising as the work goes on.
    /// </summary>
    public async Task AddProgressAsync(Guid runId, RunOutcome added, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            update runs
            set created = created + @Created, updated = updated + @Updated, deleted = deleted + @Deleted,
                skipped = skipped + @Skipped, api_calls = api_calls + @ApiCalls
            where id = @runId and status = 'running'
            """,
            new { runId, added.Created, added.Updated, added.Deleted, added.Skipped, added.ApiCalls }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Finishes a running run, adding <paramref name="outcome"/> (what its last attempt did and had not reported
    /// yet) to what its attempts recorded; null when it was not running (already finished).
    /// </summary>
    public async Task<Run?> FinishAsync(Guid runId, string status, RunOutcome outcome, string? error, CancellationToken cancellationToken)
    {
        if (!RunStatus.IsFinished(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A run can only finish as succeeded, failed or needs_confirmation.");
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Run>(new CommandDefinition(
            $"""
            with finished as (
                update runs
                set status = @status, created = created + @Created, updated = updated + @Updated, deleted = deleted + @Deleted,
                    skipped = skipped + @Skipped, api_calls = api_calls + @ApiCalls, error = @error, finished_at = @now, next_attempt_at = null
                where id = @runId and status = 'running'
                returning *
            ), attempt as (
                update run_attempts a set ended_at = @now, outcome = @status, error = @error
                from finished f where a.run_id = f.id and a.attempt = f.attempts
            )
            select {Columns} from finished
            """,
            new { runId, status, outcome.Created, outcome.Updated, outcome.Deleted, outcome.Skipped, outcome.ApiCalls, error, now = time.GetUtcNow() },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Puts a running run off until <paramref name="notBefore"/> (a rate limit, an outage): back to queued,
    /// and the dispatcher re-publishes it when due. If a follow-up run of the sync is already queued, that
    /// one carries the retry instead (it waits as long, and inherits a full resync) and this run fails
    /// naming it: the unique index allows one queued run per sync and kind.
    /// </summary>
    public async Task<RetryOutcome?> RetryLaterAsync(Guid runId, DateTimeOffset notBefore, string error, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        while (true)
        {
            try
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var requeued = await connection.QuerySingleOrDefaultAsync<Run>(new CommandDefinition(
                    $"""
                    with requeued as (
                        update runs r set status = 'queued', next_attempt_at = @notBefore, error = @error, published_at = null
                        where r.id = @runId and r.status = 'running'
                          and not exists (select 1 from runs q where q.sync_id = r.sync_id and q.kind = r.kind and q.dry_run = r.dry_run and q.status = 'queued')
                        returning *
                    ), attempt as (
                        update run_attempts a set ended_at = @now, outcome = 'retry', error = @error
                        from requeued r where a.run_id = r.id and a.attempt = r.attempts
                    )
                    select {Columns} from requeued
                    """,
                    new { runId, notBefore, error, now = time.GetUtcNow() }, transaction, cancellationToken: cancellationToken));
                if (requeued is not null)
                {
                    await transaction.CommitAsync(cancellationToken);
                    return new RetryOutcome(requeued, CarriedBy: null);
                }

                var carrier = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
                    """
                    update runs q
                    set next_attempt_at = greatest(coalesce(q.next_attempt_at, @notBefore), @notBefore),
                        full_resync = q.full_resync or r.full_resync
                    from runs r
                    where r.id = @runId and r.status = 'running'
                      and q.sync_id = r.sync_id and q.kind = r.kind and q.dry_run = r.dry_run and q.status = 'queued'
                    returning q.id
                    """,
                    new { runId, notBefore }, transaction, cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
                if (carrier is not { } carrierId)
                {
                    return null; // Not running any more.
                }
                var failed = await FinishAsync(runId, RunStatus.Failed, RunOutcome.Nothing, $"{error} The retry continues as run {carrierId}.", cancellationToken);
                return failed is null ? null : new RetryOutcome(failed, carrierId);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // A follow-up was queued between our check and our update: go round and hand the retry to it.
            }
        }
    }

    /// <summary>Puts a queued run off a little (its sync is busy); the dispatcher re-publishes it when due.</summary>
    public async Task<Run?> DeferAsync(Guid runId, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Run>(new CommandDefinition(
            $"""
            update runs set next_attempt_at = greatest(coalesce(next_attempt_at, @notBefore), @notBefore)
            where id = @runId and status = 'queued'
            returning {Columns}
            """,
            new { runId, notBefore }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// A stopping worker gives a run back: the attempt ends <c>handed_back</c> and the run returns to queued
    /// (or, when a follow-up is queued already, stays running without a lock, which the dispatcher treats as
    /// orphaned). Either way <c>published_at</c> is cleared so the dispatcher re-publishes it at once.
    /// </summary>
    public async Task HandBackAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            with handed as (
                update runs r
                set status = case when exists (select 1 from runs q where q.sync_id = r.sync_id and q.kind = r.kind and q.dry_run = r.dry_run and q.status = 'queued')
                                  then 'running' else 'queued' end,
                    published_at = null
                where r.id = @runId and r.status = 'running'
                returning r.id, r.attempts
            )
            update run_attempts a set ended_at = @now, outcome = 'handed_back'
            from handed h where a.run_id = h.id and a.attempt = h.attempts
            """,
            new { runId, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }
}

/// <summary>A run put off for a later attempt: requeued itself, or failed with the retry carried by a queued follow-up.</summary>
public sealed record RetryOutcome(Run Run, Guid? CarriedBy);
