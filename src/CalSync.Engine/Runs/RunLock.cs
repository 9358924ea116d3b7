using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CalSync.Engine.Runs;

/// <summary>
/// At most one run per sync anywhere: a PostgreSQL session advisory lock keyed by the sync id, held on
/// its own connection for the run's duration. If the holder dies, PostgreSQL ends its session and the
/// lock frees itself, so a crashed worker never blocks a sync for good. The holder checks its session
/// now and then: when the session is gone (a database restart), so is the lock, and
/// <see cref="RunLockHandle.Lost"/> stops the run before someone else takes it over.
/// </summary>
public sealed class RunLock(NpgsqlDataSource dataSource, IOptions<RunOptions> options, TimeProvider time)
{
    /// <summary>The lock, or null when another process holds it.</summary>
    public async Task<RunLockHandle?> TryAcquireAsync(Guid syncId, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var key = KeyOf(syncId);
            var acquired = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select pg_try_advisory_lock(@key)", new { key }, cancellationToken: cancellationToken));
            if (acquired)
            {
                return new RunLockHandle(connection, key, options.Value.LockCheckInterval, time);
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
}

/// <summary>A held sync lock. Disposing it releases the lock.</summary>
public sealed class RunLockHandle : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly long _key;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watchdog;

    internal RunLockHandle(NpgsqlConnection connection, long key, TimeSpan checkInterval, TimeProvider time)
    {
        _connection = connection;
        _key = key;
        _watchdog = WatchAsync(checkInterval, time);
    }

    /// <summary>Cancelled once the lock's session is found dead.</summary>
    public CancellationToken Lost => _lost.Token;

    private async Task WatchAsync(TimeSpan interval, TimeProvider time)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                await _gate.WaitAsync(_stop.Token);
                try
                {
                    await _connection.ExecuteScalarAsync<int>(new CommandDefinition("select 1", cancellationToken: _stop.Token));
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    await _lost.CancelAsync();
                    return;
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Released.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watchdog;
        try
        {
            await _connection.ExecuteAsync("select pg_advisory_unlock(@key)", new { key = _key });
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The session is gone, and the lock with it.
        }
        finally
        {
            await _connection.DisposeAsync();
            _gate.Dispose();
            _lost.Dispose();
            _stop.Dispose();
        }
    }
}
