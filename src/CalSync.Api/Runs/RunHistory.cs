using CalSync.Engine.Runs;
using Dapper;
using Npgsql;

namespace CalSync.Api.Runs;

/// <summary>A change with its place in the run's list, which the next page starts after.</summary>
public sealed record RunChangeEntry(long Position, RunChangeReply Change);

/// <summary>
/// Reads runs and their changes for the Api. A run is the caller's when its sync is, deleted or not: a deleted sync's
/// runs (its copy removal among them) stay readable.
/// </summary>
public sealed class RunHistory(NpgsqlDataSource dataSource)
{
    private const string Columns =
        """
        r.id as Id, r.sync_id as SyncId, r.trigger as Trigger, r.status as Status, r.full_resync as FullResync,
        r.dry_run as DryRun, r.created as Created, r.updated as Updated, r.deleted as Deleted, r.skipped as Skipped,
        r.api_calls as ApiCalls, r.error as Error, r.attempts as Attempts, r.queued_at as QueuedAt,
        r.started_at as StartedAt, r.finished_at as FinishedAt, r.next_attempt_at as NextAttemptAt, r.kind as Kind
        """;

    public async Task<Run?> GetAsync(Guid userId, Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Run>(new CommandDefinition(
            $"""
            select {Columns}
            from runs r join syncs s on s.id = r.sync_id
            where r.id = @runId and s.user_id = @userId
            """,
            new { runId, userId }, cancellationToken: cancellationToken));
    }

    /// <summary>A sync's runs, newest first, from just before run <paramref name="before"/> (none of this sync's: an empty page).</summary>
    public async Task<IReadOnlyList<Run>> ListAsync(Guid syncId, Guid? before, int take, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<Run>(new CommandDefinition(
            $"""
            select {Columns}
            from runs r
            where r.sync_id = @syncId
              and (@before::uuid is null
                   or (r.queued_at, r.id) < (select b.queued_at, b.id from runs b where b.id = @before and b.sync_id = @syncId))
            order by r.queued_at desc, r.id desc
            limit @take
            """,
            new { syncId, before, take }, cancellationToken: cancellationToken))];
    }

    /// <summary>The newest run of each of these syncs (those that ran), in one query: the syncs list shows them all at once.</summary>
    public async Task<IReadOnlyDictionary<Guid, Run>> LatestAsync(IReadOnlyCollection<Guid> syncIds, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var runs = await connection.QueryAsync<Run>(new CommandDefinition(
            $"""
            select {Columns}
            from unnest(@syncIds) as s(id)
            cross join lateral (select * from runs where runs.sync_id = s.id order by runs.queued_at desc, runs.id desc limit 1) r
            """,
            new { syncIds = syncIds.ToArray() }, cancellationToken: cancellationToken));
        return runs.ToDictionary(r => r.SyncId);
    }

    /// <summary>
    /// A run's changes in the order it made them, after position <paramref name="after"/> (0: from the start). A
    /// position counts within the run (1, 2, ...), so a cursor tells nothing of how many changes other runs made.
    /// </summary>
    public async Task<IReadOnlyList<RunChangeEntry>> ChangesAsync(Guid runId, long after, int take, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ChangeRow>(new CommandDefinition(
            """
            select Position, Action, Side, OriginEventId, CopyEventId, Summary, Reason
            from (select row_number() over (order by id) as Position, action as Action, side as Side,
                         origin_event_id as OriginEventId, copy_event_id as CopyEventId, summary as Summary, reason as Reason
                  from run_changes
                  where run_id = @runId) c
            where Position > @after
            order by Position
            limit @take
            """,
            new { runId, after, take }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new RunChangeEntry(r.Position, new RunChangeReply(
            r.Action, r.Side.Trim() == "A" ? "source" : "target", r.OriginEventId, r.CopyEventId, r.Summary, r.Reason)))];
    }

    private sealed class ChangeRow
    {
        public long Position { get; init; }
        public string Action { get; init; } = "";

        /// <summary>A or B; side A is the source, B the target.</summary>
        public string Side { get; init; } = "";
        public string? OriginEventId { get; init; }
        public string? CopyEventId { get; init; }
        public string? Summary { get; init; }
        public string Reason { get; init; } = "";
    }
}
