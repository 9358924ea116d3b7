using Dapper;
using Npgsql;

namespace CalSync.Engine.Runs;

/// <summary>
/// At most one run per sync anywhere: a PostgreSQL session advisory lock keyed by the sync id, held on
/// its own connection for the run's duration. If the holder dies, PostgreSQL ends its session and the
/// lock frees itself, so a crashed worker never blocks a sync for good.
/// </summary>
public sealed class RunLock(NpgsqlDataSource dataSource)
{
    /// <summary>The lock, or null when another process holds it.</summary>
    public async Task<IAsyncDisposable?> TryAcquireAsync(Guid syncId, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var key = KeyOf(syncId);
            var acquired = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select pg_try_advisory_lock(@key)", new { key }, cancellationToken: cancellationToken));
            if (acquired)
            {
                return new Held(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    /// <summary>A 64-bit key from the Guid's bytes; a rare collision only serialises two syncs.</summary>
    internal static long KeyOf(Guid syncId) => BitConverter.ToInt64(syncId.ToByteArray(), 0) ^ BitConverter.ToInt64(syncId.ToByteArray(), 8);

    private sealed class Held(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await connection.ExecuteAsync("select pg_advisory_unlock(@key)", new { key });
            }
            catch (NpgsqlException)
            {
                // The session is gone, and the lock with it.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
