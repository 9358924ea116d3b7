using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace CalSync.Worker.Hosting;

public static class HealthExtensions
{
    /// <summary>
    /// <c>/health/live</c> answers while the process runs; <c>/health/ready</c> checks PostgreSQL and the
    /// bus (MassTransit registers its own check, tagged <c>ready</c>).
    /// </summary>
    public static WebApplication MapWorkerHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
