using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CalSync.Engine.Runs;
using Prometheus;

namespace CalSync.Worker.Hosting;

public static class MetricsExtensions
{
    /// <summary>
    /// <c>/metrics</c> in Prometheus text format: the run pipeline's <c>CalSync</c> meter as Prometheus
    /// counters and histograms (<see cref="RunMetricsExporter"/>), plus process, runtime, Npgsql and Quartz
    /// figures that prometheus-net adapts from .NET's meters.
    /// </summary>
    public static IHostApplicationBuilder AddWorkerMetrics(this IHostApplicationBuilder builder)
    {
        // Our meter is exported as real counters below; keep prometheus-net's generic adapter (which turns
        // counters into gauges) off it.
        Metrics.ConfigureMeterAdapter(o => o.InstrumentFilterPredicate = i => i.Meter.Name != RunMetrics.MeterName);
        builder.Services.AddSingleton<RunMetricsExporter>();
        return builder;
    }

    public static WebApplication MapWorkerMetrics(this WebApplication app)
    {
        app.Services.GetRequiredService<RunMetricsExporter>().Start();
        app.MapMetrics("/metrics");
        return app;
    }
}

/// <summary>
/// Listens to the <c>CalSync</c> meter and keeps a Prometheus counter (<c>_total</c>) per counter and a
/// histogram per histogram, labelled by the measurement's tags: <c>runs.finished</c> becomes
/// <c>calsync_runs_finished_total{status}</c>, <c>run.duration.seconds</c> <c>calsync_run_duration_seconds</c>.
/// </summary>
public sealed class RunMetricsExporter : IDisposable
{
    // 50 ms to about 7 minutes: runs and queue waits, not HTTP requests.
    private static readonly double[] Buckets = Histogram.ExponentialBuckets(0.05, 2, 14);

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, Counter> _counters = new();
    private readonly ConcurrentDictionary<string, Histogram> _histograms = new();

    public void Start()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RunMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var (names, values) = Labels(tags);
            Safely(() => _counters.GetOrAdd(instrument.Name, name => Metrics.CreateCounter(PrometheusName(name) + "_total", instrument.Description ?? "", names))
                .WithLabels(values).Inc(value));
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            var (names, values) = Labels(tags);
            Safely(() => _histograms.GetOrAdd(instrument.Name, name => Metrics.CreateHistogram(PrometheusName(name), instrument.Description ?? "",
                new HistogramConfiguration { LabelNames = names, Buckets = Buckets })).WithLabels(values).Observe(value));
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    // A measurement is recorded on the run's own thread: a metrics problem (say, a label clash) must never fail a run.
    private static void Safely(Action record)
    {
        try
        {
            record();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            System.Diagnostics.Trace.WriteLine($"CalSync metrics: {ex.Message}");
        }
    }

    private static string PrometheusName(string instrument) => "calsync_" + instrument.Replace('.', '_');

    // Each instrument is always recorded with the same tag keys; sort them so the label order is stable.
    private static (string[] Names, string[] Values) Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var sorted = tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal).ToArray();
        return ([.. sorted.Select(t => t.Key)], [.. sorted.Select(t => Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "")]);
    }
}
