using Dapper;
using Npgsql;

namespace CalSync.Engine.Runs;

/// <summary>A sync's cron schedule as its row says: a 5-field (Unix) cron in an IANA time zone.</summary>
public sealed record SyncSchedule(Guid SyncId, string Cron, string TimeZone);

/// <summary>Reads which syncs should run on a schedule: the active, not deleted ones with a cron.</summary>
public sealed class SyncSchedules(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<SyncSchedule>> ListActiveAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<SyncSchedule>(new CommandDefinition(
            """
            select id as SyncId, cron as Cron, time_zone as TimeZone
            from syncs
            where active and deleted_at is null and cron is not null and time_zone is not null
            """, cancellationToken: cancellationToken))];
    }
}
