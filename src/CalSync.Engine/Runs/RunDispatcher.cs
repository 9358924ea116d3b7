using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CalSync.Engine.Runs;

/// <summary>How the dispatcher looks for runs to re-publish (configuration section <c>Dispatcher</c>).</summary>
public sealed class DispatcherOptions
{
    public const string SectionName = "Dispatcher";

    /// <summary>How often each worker looks for runs to re-publish.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a queued run may go unpublished (its requester's publish failed or its process died) and a
    /// run may be left running without its lock (its worker died) before the dispatcher re-publishes it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A queued run published this long ago and still not started is published again (its message may be lost).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RepublishAfter { get; set; } = TimeSpan.FromMinutes(2);

    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;
}

/// <summary>
/// The row is the truth, the message only a nudge: finds runs that need a (new) message and claims them
/// by stamping <c>published_at</c>, so any number of workers can dispatch at once without publishing a run
/// twice. Re-publishes (a) queued runs never published or published long ago, (b) queued runs whose delayed
/// retry is due, (c) runs left running by a worker that died (nobody holds their sync's lock).
/// </summary>
public sealed partial class RunDispatcher(
    NpgsqlDataSource dataSource, RunLock runLock, IOptions<DispatcherOptions> options, TimeProvider time, ILogger<RunDispatcher> logger)
{
    public async Task<int> DispatchAsync(Func<Run, CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        var due = await ClaimQueuedAsync(cancellationToken);
        var orphans = await ClaimOrphansAsync(cancellationToken);
        var count = 0;
        foreach (var run in due.Concat(orphans))
        {
            try
            {
                await publish(run, cancellationToken);
                count++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPublishFailed(ex, run.Id);
                await UnclaimAsync(run.Id, cancellationToken);
            }
        }
        if (count > 0)
        {
            LogDispatched(count);
        }
        return count;
    }

    private async Task<IReadOnlyList<Run>> ClaimQueuedAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // skip locked: two dispatchers never claim the same row; the second sees it stamped afterwards.
        return [.. await connection.QueryAsync<Run>(new CommandDefinition(
            $"""
            with due as (
                select id as due_id from runs
                where status = 'queued'
                  and (next_attempt_at is null or next_attempt_at <= @now)
                  and (   (published_at is null and coalesce(next_attempt_at, queued_at) <= @unpublishedBefore)
                       or (next_attempt_at is not null and (published_at is null or published_at < next_attempt_at))
                       or published_at <= @staleBefore)
                order by coalesce(next_attempt_at, queued_at)
                limit @batch
                for update skip locked
            )
            update runs r set published_at = @now from due where r.id = due.due_id
            returning {RunStore.Columns}
            """,
            new { now, unpublishedBefore = now - o.Grace, staleBefore = now - o.RepublishAfter, batch = o.BatchSize },
            cancellationToken: cancellationToken))];
    }

    private async Task<IReadOnlyList<Run>> ClaimOrphansAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now - options.Value.Grace;
        List<Run> candidates;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            candidates = [.. await connection.QueryAsync<Run>(new CommandDefinition(
                $"""
                select {RunStore.Columns} from runs
                where status = 'running' and (published_at is null or published_at <= @cutoff)
                order by started_at limit @batch
                """,
                new { cutoff, batch = options.Value.BatchSize }, cancellationToken: cancellationToken))];
        }

        var claimed = new List<Run>();
        foreach (var candidate in candidates)
        {
            // Whoever runs a run holds its sync's lock; if we can take it, the runner is gone.
            await using var held = await runLock.TryAcquireAsync(candidate.SyncId, cancellationToken);
            if (held is null)
            {
                continue;
            }
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var run = await connection.QuerySingleOrDefaultAsync<Run>(new CommandDefinition(
                $"""
                update runs set published_at = @now
                where id = @id and status = 'running' and (published_at is null or published_at <= @cutoff)
                returning {RunStore.Columns}
                """,
                new { id = candidate.Id, now, cutoff }, cancellationToken: cancellationToken));
            if (run is not null)
            {
                LogOrphan(run.Id, run.Worker);
                claimed.Add(run);
            }
        }
        return claimed;
    }

    private async Task UnclaimAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update runs set published_at = null where id = @runId", new { runId }, cancellationToken: cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-published {Count} runs")]
    private partial void LogDispatched(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} was left running by {Worker}, which holds no lock any more; re-publishing it")]
    private partial void LogOrphan(Guid runId, string? worker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not re-publish run {RunId}; it stays unclaimed for the next round")]
    private partial void LogPublishFailed(Exception exception, Guid runId);
}
