using CalSync.Engine.Sync;
using Dapper;
using Npgsql;

namespace CalSync.Engine.Runs;

/// <summary>A change with its place in the run's list, which the next page starts after.</summary>
public sealed record PositionedChange(long Position, RunChange Change);

/// <summary>
/// Reads runs and their changes for people, through <see cref="RunStore"/>'s column list and <see cref="Run"/> mapping.
/// A run is the caller's when its sync is, deleted or not: a deleted sync's runs (its copy removal among them) stay readable.
/// </summary>
public sealed class RunHistory(NpgsqlDataSource dataSource)
{
    public async Task<Run?> GetAsync(Guid userId, Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Run>(new CommandDefinition(
            $"""
            select {RunStore.Columns}
            from runs
            where id = @runId and exists (select from syncs s where s.id = runs.sync_id and s.user_id = @userId)
            """,
            new { runId, userId }, cancellationToken: cancellationToken));
    }

    /// <summary>A sync's runs, newest first, from just before run <paramref name="before"/> (none of this sync's: an empty page).</summary>
    public async Task<IReadOnlyList<Run>> ListAsync(Guid syncId, Guid? before, int take, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<Run>(new CommandDefinition(
            $"""
            select {RunStore.Columns}
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
            select {RunStore.Columns}
            from runs
            where id in (select latest.id
                         from unnest(@syncIds) as s(sync_id)
                         cross join lateral (select r.id from runs r where r.sync_id = s.sync_id
                                             order by r.queued_at desc, r.id desc limit 1) latest)
            """,
            new { syncIds = syncIds.ToArray() }, cancellationToken: cancellationToken));
        return runs.ToDictionary(r => r.SyncId);
    }

    /// <summary>
    /// A run's changes in the order it made them, after position <paramref name="after"/> (0: from the start). A
    /// position counts within the run (1, 2, ...), so a cursor tells nothing of how many changes other runs made.
    /// </summary>
    public async Task<IReadOnlyList<PositionedChange>> ChangesAsync(Guid runId, long after, int take, CancellationToken cancellationToken)
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
        return [.. rows.Select(r => new PositionedChange(r.Position, new RunChange(
            r.Action, r.Side.Trim() == "A" ? Side.A : Side.B, r.OriginEventId, r.CopyEventId, r.Summary, r.Reason)))];
    }

    private sealed class ChangeRow
    {
        public long Position { get; init; }
        public string Action { get; init; } = "";

        /// <summary>A or B (a <c>char(1)</c>).</summary>
        public string Side { get; init; } = "";
        public string? OriginEventId { get; init; }
        public string? CopyEventId { get; init; }
        public string? Summary { get; init; }
        public string Reason { get; init; } = "";
    }
}
