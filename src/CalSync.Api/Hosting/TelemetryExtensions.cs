using CalSync.Api.Webhooks;
using CalSync.Engine.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CalSync.Api.Hosting;

public static class TelemetryExtensions
{
    /// <summary>
    /// The Api's traces and metrics (<see cref="CalSync.Engine.Hosting.TelemetryExtensions.AddCalSyncTelemetry"/>) plus its requests: a server
    /// span per request (the root of a run's trace when the request queues one), and ASP.NET Core's request metrics
    /// (<c>http_server_request_duration_seconds</c> by route, method and status), Kestrel's, and the push meter.
    /// </summary>
    public static IHostApplicationBuilder AddApiTelemetry(this IHostApplicationBuilder builder)
    {
        builder.AddCalSyncTelemetry("calsync-api")
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation(o =>
                // Operators' scrapes and probes are not requests anyone follows.
                o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase)
                    && !http.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter(PushMetrics.MeterName)
                .AddPrometheusExporter());
        return builder;
    }

    /// <summary>
    /// <c>/metrics</c> in Prometheus text format, on the management port only (<see cref="ManagementPort"/>): requests by
    /// route and status (sign-ins, run triggers, 429s from the trigger limit, 4xx from bad input) and their durations,
    /// push notifications, Google calls by method and outcome, process and runtime figures. ASP.NET Core measures every
    /// request where it enters, so requests refused by size, origin, authentication or the rate limiter count too.
    /// Runs themselves are measured by the workers, which execute them.
    /// </summary>
    public static WebApplication MapApiMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics")
            .WithTags("Health")
            .WithSummary("Prometheus metrics: requests by route and status, durations, push notifications, Google calls, process and runtime.");
        return app;
    }
}
