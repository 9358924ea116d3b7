using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace CalSync.Bench;

/// <summary>Mean and 95th percentile (nearest rank) of a set of durations.</summary>
internal readonly record struct Spread(TimeSpan Mean, TimeSpan P95)
{
    public static Spread Of(IReadOnlyCollection<TimeSpan> values)
    {
        if (values.Count == 0)
        {
            return default;
        }
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(0.95 * sorted.Count) - 1;
        return new Spread(TimeSpan.FromTicks((long)sorted.Average(v => v.Ticks)), sorted[rank]);
    }

    public override string ToString() => $"{Mean.TotalSeconds,6:F2} s / {P95.TotalSeconds,6:F2} s";
}

/// <summary>
/// One round's figures, from the runs' own timestamps and the emulator's counters. Wall time runs from the
/// moment the triggers are issued to the last run's <c>finished_at</c> (the bench's and the workers'
/// clocks are the same system clock); triggering is how long issuing all triggers took; load is the
/// one-minute load average just before.
/// </summary>
internal sealed record RoundFigures(
    int Workers, int Finished, int NotSucceeded, TimeSpan Wall, TimeSpan Triggering, Spread QueueWait, Spread RunTime, int PeakInFlight,
    int HttpRequests, int QuotaUnits, string RunsPerWorker, string Load)
{
    public const string Header =
        "workers  runs  not ok  wall time  (triggering)  runs/s  queue wait mean / p95  run time mean / p95  peak in flight  HTTP requests  quota units   load  runs per worker";

    public double RunsPerSecond => Finished / Wall.TotalSeconds;

    public string Row => string.Create(CultureInfo.InvariantCulture,
        $"{Workers,7}  {Finished,4}  {NotSucceeded,6}  {Wall.TotalSeconds,7:F2} s  {Triggering.TotalSeconds,10:F2} s  {RunsPerSecond,6:F1}  {QueueWait,21}  {RunTime,19}  " +
        $"{PeakInFlight,14}  {HttpRequests,13}  {QuotaUnits,11}  {Load,5}  {RunsPerWorker}");

    public static string Ratios(IReadOnlyList<RoundFigures> rounds) =>
        "Scaling (runs/s): " + string.Join(", ", rounds.Skip(1).Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Workers}w/{rounds[0].Workers}w = {r.RunsPerSecond / rounds[0].RunsPerSecond:F2}x")));

    public static async Task<RoundFigures> MeasureAsync(
        int workers, DateTimeOffset triggeredAt, TimeSpan triggering, string load, NpgsqlDataSource dataSource, HttpClient admin)
    {
        List<RunTimes> runs;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            runs = [.. await connection.QueryAsync<RunTimes>(
                """
                select status as Status, worker as Worker, queued_at as QueuedAt, started_at as StartedAt, finished_at as FinishedAt
                from runs
                """)];
        }
        var (requests, units) = await EmulatorCountsAsync(admin);
        var finishedAt = runs.Max(r => r.FinishedAt!.Value);
        return new RoundFigures(
            workers,
            runs.Count,
            runs.Count(r => r.Status != "succeeded"),
            finishedAt - triggeredAt.UtcDateTime,
            triggering,
            Spread.Of([.. runs.Select(r => r.StartedAt!.Value - r.QueuedAt)]),
            Spread.Of([.. runs.Select(r => r.FinishedAt!.Value - r.StartedAt!.Value)]),
            MostInFlight(runs),
            requests,
            units,
            string.Join('/', runs.GroupBy(r => r.Worker).Select(g => g.Count()).OrderDescending()),
            load);
    }

    /// <summary>Most runs between <c>started_at</c> and <c>finished_at</c> at one moment, over all workers.</summary>
    private static int MostInFlight(List<RunTimes> runs)
    {
        var edges = runs.SelectMany(r => new[] { (At: r.StartedAt!.Value, Step: 1), (At: r.FinishedAt!.Value, Step: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Step); // A run ending at the instant another starts does not overlap it.
        var (current, peak) = (0, 0);
        foreach (var edge in edges)
        {
            current += edge.Step;
            peak = Math.Max(peak, current);
        }
        return peak;
    }

    /// <summary>HTTP requests and quota units (Google calls, batch parts counted one each) over all accounts.</summary>
    private static async Task<(int Requests, int Units)> EmulatorCountsAsync(HttpClient admin)
    {
        using var stats = JsonDocument.Parse(await admin.GetStringAsync(new Uri("emulator/stats", UriKind.Relative)));
        var (requests, units) = (0, 0);
        foreach (var account in stats.RootElement.GetProperty("accounts").EnumerateObject())
        {
            requests += account.Value.GetProperty("httpRequests").GetInt32();
            units += account.Value.GetProperty("total").GetInt32();
        }
        return (requests, units);
    }

    private sealed class RunTimes
    {
        public string Status { get; init; } = "";
        public string? Worker { get; init; }
        // timestamptz reads as a UTC DateTime.
        public DateTime QueuedAt { get; init; }
        public DateTime? StartedAt { get; init; }
        public DateTime? FinishedAt { get; init; }
    }
}
