using CalSync.Testing;
using Dapper;
using Npgsql;

namespace CalSync.Drills.Tests;

/// <summary>
/// What every drill must end with. Today: every run finished, and no two runs of one sync executing at
/// once (from each attempt's recorded interval; an attempt whose worker was killed ends at the kill).
/// When the engine lands, "no duplicate copies" and "no lost events" (from the emulator) slot in here.
/// </summary>
public static class Invariants
{
    public static async Task AllRunsFinishAsync(NpgsqlDataSource dataSource, IReadOnlyCollection<Guid> syncIds, TimeSpan? within = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await Eventually.ReachesAsync(
            () => connection.ExecuteScalarAsync<int>(
                "select count(*) from runs where sync_id = any(@ids) and status not in ('succeeded', 'failed', 'needs_confirmation')",
                new { ids = syncIds.ToArray() }),
            unfinished => unfinished == 0, "every run to finish", within ?? TimeSpan.FromMinutes(3));
        var failed = await connection.QueryAsync<string>(
            "select coalesce(error, '') from runs where sync_id = any(@ids) and status <> 'succeeded'", new { ids = syncIds.ToArray() });
        Assert.Empty(failed);
    }

    public static async Task NoOverlappingRunsAsync(NpgsqlDataSource dataSource, IReadOnlyCollection<Guid> syncIds, IReadOnlyDictionary<int, DateTimeOffset> killedAt)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var attempts = (await connection.QueryAsync<Attempt>(
            """
            select r.sync_id as SyncId, a.run_id as RunId, a.attempt as Number, a.worker as Worker,
                   a.started_at as StartedAt, a.ended_at as EndedAt
            from run_attempts a join runs r on r.id = a.run_id
            where r.sync_id = any(@ids)
            """, new { ids = syncIds.ToArray() })).ToList();
        Assert.NotEmpty(attempts);

        foreach (var sync in attempts.GroupBy(a => a.SyncId))
        {
            var ordered = sync.OrderBy(a => a.StartedAt).ToList();
            for (var i = 0; i < ordered.Count - 1; i++)
            {
                var end = ordered[i].EndedAt ?? OpenAttemptEnd(ordered[i], ordered, killedAt);
                Assert.True(end <= ordered[i + 1].StartedAt,
                    $"Sync {sync.Key}: {ordered[i]} (until {end:O}) overlaps {ordered[i + 1]}");
            }
        }
    }

    /// <summary>
    /// An attempt left open ended when its worker was killed, or (its worker alive, its lock lost with a
    /// database restart) before the run's next attempt: a lost lock stops the work at once, and nobody can
    /// take the run over until the database is back.
    /// </summary>
    private static DateTimeOffset OpenAttemptEnd(Attempt attempt, List<Attempt> syncAttempts, IReadOnlyDictionary<int, DateTimeOffset> killedAt)
    {
        // Worker names are host:pid:suffix.
        var pid = int.Parse(attempt.Worker.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        if (killedAt.TryGetValue(pid, out var at))
        {
            return at;
        }
        var next = syncAttempts.Where(a => a.RunId == attempt.RunId && a.Number > attempt.Number).MinBy(a => a.Number);
        return next?.StartedAt ?? throw new InvalidOperationException($"{attempt} never ended, its worker was not killed and nobody took the run over");
    }

    private sealed record Attempt
    {
        public Guid SyncId { get; init; }
        public Guid RunId { get; init; }
        public int Number { get; init; }
        public string Worker { get; init; } = "";
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset? EndedAt { get; init; }
    }
}
