using Prometheus;

namespace CalSync.Worker.Hosting;

public static class MetricsExtensions
{
    /// <summary>
    /// <c>/metrics</c> in Prometheus text format: the run pipeline's meter (<c>CalSync.Runs</c>: runs by
    /// status, run duration, queue wait, retries, Google calls), which prometheus-net picks up from .NET's
    /// System.Diagnostics.Metrics, plus process and runtime figures.
    /// </summary>
    public static WebApplication MapWorkerMetrics(this WebApplication app)
    {
        app.MapMetrics("/metrics");
        return app;
    }
}
