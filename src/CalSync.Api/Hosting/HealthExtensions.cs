using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace CalSync.Api.Hosting;

public static class HealthExtensions
{
    /// <summary>
    /// <c>/health/live</c> answers while the process runs; <c>/health/ready</c> checks PostgreSQL and
    /// RabbitMQ (MassTransit's bus check, tagged <c>ready</c>).
    /// </summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        var health = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        health.MapHealthChecks("/live", new HealthCheckOptions { Predicate = _ => false });
        health.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
