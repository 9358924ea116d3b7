using CalSync.Engine.Hosting;
using OpenTelemetry.Metrics;

namespace CalSync.Worker.Hosting;

public static class TelemetryExtensions
{
    /// <summary>
    /// The worker's traces and metrics (<see cref="CalSync.Engine.Hosting.TelemetryExtensions.AddCalSyncTelemetry"/>): consume, run,
    /// database and Google spans, and the run pipeline's <c>CalSync</c> meter for Prometheus.
    /// </summary>
    public static IHostApplicationBuilder AddWorkerTelemetry(this IHostApplicationBuilder builder)
    {
        builder.AddCalSyncTelemetry("calsync-worker")
            .WithMetrics(metrics => metrics.AddPrometheusExporter());
        return builder;
    }

    /// <summary>
    /// <c>/metrics</c> in Prometheus text format on the worker's operator port: runs started, finished (by status) and
    /// put off (by reason), their durations and queue waits, Google calls by method and outcome, Npgsql's, HttpClient's
    /// and the runtime's figures.
    /// </summary>
    public static WebApplication MapWorkerMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
