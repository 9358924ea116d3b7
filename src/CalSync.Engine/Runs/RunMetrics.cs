using System.Diagnostics.Metrics;

namespace CalSync.Engine.Runs;

/// <summary>
/// The run pipeline's measurements, on the <c>CalSync</c> meter, which the worker's Prometheus endpoint serves as
/// <c>calsync_runs_started_total</c>, <c>calsync_runs_finished_total{status}</c>, <c>calsync_runs_retries_total{reason}</c>,
/// <c>calsync_run_duration_seconds{status}</c> and <c>calsync_run_queue_wait_seconds</c>. Google calls are counted by
/// the Google client itself (meter <c>CalSync.Google</c>: <c>calsync_google_calls_total</c> by method and outcome).
/// One meter per process (the meter hands every instance the same instruments): hosts that come and go,
/// as in tests, never dispose it under the exporter.
/// </summary>
public sealed class RunMetrics
{
    public const string MeterName = "CalSync";

    // 50 ms to about 7 minutes: runs and queue waits, not HTTP requests.
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [.. Enumerable.Range(0, 14).Select(i => 0.05 * Math.Pow(2, i))],
    };

    private static readonly Meter Meter = new(MeterName);
    private readonly Counter<long> _started = Meter.CreateCounter<long>("calsync.runs.started", description: "Run attempts started");
    private readonly Counter<long> _finished = Meter.CreateCounter<long>("calsync.runs.finished", description: "Runs finished, by status");
    private readonly Counter<long> _retries = Meter.CreateCounter<long>("calsync.runs.retries", description: "Runs put off to a later attempt, by reason");
    private readonly Histogram<double> _duration = Meter.CreateHistogram("calsync.run.duration", "s", "Time from a run's start to its end", tags: null, Seconds);
    private readonly Histogram<double> _queueWait = Meter.CreateHistogram("calsync.run.queue_wait", "s", "Time a run waited between queued and its first start", tags: null, Seconds);

    public void Started(Run run)
    {
        _started.Add(1);
        if (run.Attempts == 1 && run.StartedAt is { } started)
        {
            _queueWait.Record(Math.Max(0, (started - run.QueuedAt).TotalSeconds));
        }
    }

    public void Finished(Run run)
    {
        _finished.Add(1, new KeyValuePair<string, object?>("status", run.Status));
        if (run is { StartedAt: { } started, FinishedAt: { } finished })
        {
            _duration.Record(Math.Max(0, (finished - started).TotalSeconds), new KeyValuePair<string, object?>("status", run.Status));
        }
    }

    /// <summary>A run put off: <c>retryable</c> (rate limit, outage), <c>busy</c> (its sync was running) or <c>handed_back</c>.</summary>
    public void Retried(string reason) => _retries.Add(1, new KeyValuePair<string, object?>("reason", reason));

}
