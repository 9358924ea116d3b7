using System.Diagnostics.Metrics;

namespace CalSync.Engine.Runs;

/// <summary>
/// The run pipeline's measurements, on the <c>CalSync.Runs</c> meter (the worker exposes them on
/// <c>/metrics</c>). Google calls are counted by the client itself (meter <c>CalSync.Google</c>, <c>calsync_google_calls</c> by account and method).
/// </summary>
public sealed class RunMetrics : IDisposable
{
    public const string MeterName = "CalSync.Runs";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _started;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _retries;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _queueWait;

    public RunMetrics()
    {
        _started = _meter.CreateCounter<long>("calsync_runs_started", description: "Run attempts started");
        _finished = _meter.CreateCounter<long>("calsync_runs_finished", description: "Runs finished, by status");
        _retries = _meter.CreateCounter<long>("calsync_runs_retries", description: "Runs put off to a later attempt, by reason");
        _duration = _meter.CreateHistogram<double>("calsync_run_duration_seconds", unit: "s", description: "Time from a run's start to its end");
        _queueWait = _meter.CreateHistogram<double>("calsync_run_queue_wait_seconds", unit: "s", description: "Time a run waited between queued and its first start");
    }

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

    /// <summary>For the sync engine: one Google API call (a batch part counts as one), its method and HTTP status.</summary>

    public void Dispose() => _meter.Dispose();
}
