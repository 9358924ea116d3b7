using Dapper;
using Npgsql;

namespace CalSync.Testing;

/// <summary>Rows the run pipeline needs: a user with one Google account and a sync between two of its calendars.</summary>
public static class TestData
{
    public static async Task<Guid> CreateSyncAsync(NpgsqlDataSource dataSource)
    {
        var userId = Guid.NewGuid();
        var accountId = Guid.NewGuid();
        var syncId = Guid.NewGuid();
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            insert into users (id, email, created_at) values (@userId, @email, now());
            insert into google_accounts (id, user_id, google_subject, email, created_at, updated_at)
            values (@accountId, @userId, @subject, @email, now(), now());
            insert into syncs (id, user_id, name, a_account_id, a_calendar_id, b_account_id, b_calendar_id, direction, created_at, updated_at)
            values (@syncId, @userId, 'test sync', @accountId, 'primary', @accountId, 'other@group.calendar.google.com', 'one-way', now(), now());
            """,
            new { userId, accountId, syncId, email = $"{userId:N}@example.com", subject = userId.ToString("N") });
        return syncId;
    }
}
