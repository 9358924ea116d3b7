using Prometheus;

namespace CalSync.Api.Hosting;

public static class MetricsExtensions
{
    /// <summary>
    /// <c>/metrics</c> in Prometheus text format, on the management port only (<see cref="ManagementPort"/>): requests by route and status (sign-ins, run triggers, 429s from
    /// the trigger limit, 4xx from bad input) and their durations, plus process and runtime figures. Runs
    /// themselves are measured by the workers, which execute them.
    /// </summary>
    public static WebApplication MapApiMetrics(this WebApplication app)
    {
        app.UseHttpMetrics();
        app.MapMetrics("/metrics")
            .WithTags("Health")
            .WithSummary("Prometheus metrics: requests by route and status, durations, process and runtime.");
        return app;
    }
}
