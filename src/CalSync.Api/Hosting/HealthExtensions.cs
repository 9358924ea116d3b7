using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CalSync.Api.Hosting;

public static class HealthExtensions
{
    /// <summary>
    /// <c>/health/live</c> answers while the process runs; <c>/health/ready</c> checks PostgreSQL and
    /// RabbitMQ (MassTransit's bus check, tagged <c>ready</c>): each check's result on the management port, the overall
    /// status only on the public one. Plain endpoints rather than MapHealthChecks so that both appear, with their
    /// responses, in the OpenAPI document.
    /// </summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        var health = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        health.MapGet("/live", () => TypedResults.Ok(new HealthReply("Healthy", [])))
            .WithSummary("The process is up.");
        health.MapGet("/ready", ReadyAsync)
            .WithSummary("PostgreSQL and RabbitMQ answer: the Api can accept work (each check's result on the management port only).");
        return app;
    }

    private static async Task<Results<Ok<HealthReply>, JsonHttpResult<HealthReply>>> ReadyAsync(
        HttpContext http, HealthCheckService checks, CancellationToken cancellationToken)
    {
        var report = await checks.CheckHealthAsync(check => check.Tags.Contains("ready"), cancellationToken);
        var status = new HealthReply(
            report.Status.ToString(),
            http.IsManagement() ? [.. report.Entries.Select(e => new HealthCheckReply(e.Key, e.Value.Status.ToString(), e.Value.Description))] : []);
        return report.Status == HealthStatus.Healthy
            ? TypedResults.Ok(status)
            : TypedResults.Json(status, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

/// <summary>Overall health and each check's (no exception details: they may name hosts or users).</summary>
public sealed record HealthReply(string Status, IReadOnlyList<HealthCheckReply> Checks);

public sealed record HealthCheckReply(string Name, string Status, string? Description);
