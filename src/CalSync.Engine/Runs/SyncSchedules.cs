using Dapper;
using Npgsql;

namespace CalSync.Engine.Runs;

/// <summary>A sync's cron schedule as its row says: a 5-field (Unix) cron in an IANA time zone.</summary>
public sealed record SyncSchedule(Guid SyncId, string Cron, string TimeZone);

/// <summary>
/// Reads which syncs should run on a schedule: the active, not deleted ones with a cron, whose accounts are both
/// usable. A sync whose account needs reconnecting (<c>reauth_required</c>) would only fail; it is left unscheduled
/// until the account is reconnected, and the Api says so in its <c>scheduleStatus</c>.
/// </summary>
public sealed class SyncSchedules(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<SyncSchedule>> ListActiveAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<SyncSchedule>(new CommandDefinition(
            """
            select s.id as SyncId, s.cron as Cron, s.time_zone as TimeZone
            from syncs s
            where s.active and s.deleted_at is null and s.cron is not null and s.time_zone is not null
              and not exists (select from google_accounts g
                              where g.id in (s.a_account_id, s.b_account_id) and g.status = 'reauth_required')
            """, cancellationToken: cancellationToken))];
    }
}
