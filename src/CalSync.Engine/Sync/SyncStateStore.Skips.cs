using Dapper;

namespace CalSync.Engine.Sync;

/// <summary>Origins a rule skipped, remembered so each skip is reported once (table <c>skipped_origins</c>).</summary>
public sealed partial class SyncStateStore
{
    /// <summary>
    /// The sync's remembered skips whose origin had not ended by <paramref name="windowStart"/>. The others are deleted in
    /// the same statement: no run reads their origins again, so nothing else would ever forget them. A skip remembered
    /// before its origin's end was kept has only its age to go by: it goes once remembered before the window's start
    /// (should its origin still be in the window, its skip is said once more, and remembered with its end).
    /// </summary>
    public async Task<IReadOnlyDictionary<(Side Side, string EventId), string>> GetSkippedAsync(Guid syncId, DateTimeOffset windowStart, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Side, string EventId, string Fingerprint)>(new CommandDefinition(
            """
            with ended as (
                delete from skipped_origins
                where sync_id = @syncId and (origin_end <= @windowStart or (origin_end is null and updated_at < @windowStart))
            )
            select side, event_id, fingerprint from skipped_origins
            where sync_id = @syncId and (origin_end > @windowStart or (origin_end is null and updated_at >= @windowStart))
            """,
            new { syncId, windowStart }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => (r.Side == "A" ? Side.A : Side.B, r.EventId), r => r.Fingerprint);
    }

    public async Task ForgetSkipsAsync(Guid syncId, IReadOnlyList<(Side Side, string EventId)> origins, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origins);
        if (origins.Count == 0)
        {
            return;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            delete from skipped_origins s
            using unnest(@sides, @eventIds) as f(side, event_id)
            where s.sync_id = @syncId and s.side = f.side and s.event_id = f.event_id
            """,
            new { syncId, sides = origins.Select(o => o.Side.ToString()).ToArray(), eventIds = origins.Select(o => o.EventId).ToArray() },
            cancellationToken: cancellationToken));
    }

    public async Task RememberSkipAsync(Guid syncId, SkippedOrigin skipped, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into skipped_origins (sync_id, side, event_id, fingerprint, origin_end, updated_at)
            values (@syncId, @side, @EventId, @Fingerprint, @OriginEnd, @now)
            on conflict (sync_id, side, event_id) do update
            set fingerprint = excluded.fingerprint, origin_end = coalesce(excluded.origin_end, skipped_origins.origin_end),
                updated_at = excluded.updated_at
            """,
            new { syncId, side = skipped.Side.ToString(), skipped.EventId, skipped.Fingerprint, skipped.OriginEnd, now = time.GetUtcNow() },
            cancellationToken: cancellationToken));
    }
}
