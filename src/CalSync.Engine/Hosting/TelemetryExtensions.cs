using CalSync.Engine.Google.Accounting;
using CalSync.Engine.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CalSync.Engine.Hosting;

/// <summary>What every CalSync host shares of traces, metrics and logs; each host adds its own on the builder returned.</summary>
public static class TelemetryExtensions
{
    /// <summary>The standard OpenTelemetry variable: where to send traces over OTLP. Unset, traces go nowhere.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Traces of CalSync's spans, MassTransit's (publish and consume), Npgsql's commands and the HttpClient requests to
    /// Google, exported over OTLP only when <see cref="OtlpEndpointVariable"/> is set; the <c>CalSync</c> meters, Npgsql's,
    /// HttpClient's and the runtime's for the host's Prometheus endpoint; console logs with a UTC timestamp and scopes,
    /// so a run's id and its sync's id (and the trace id) stand on every line written while it runs.
    /// </summary>
    public static OpenTelemetryBuilder AddCalSyncTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
        });
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        return builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(Telemetry.SourceName, Telemetry.MassTransitSourceName)
                    .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = (span, request) =>
                    {
                        // Google's URLs hold calendar ids (often email addresses), event ids, sync and page tokens, and a
                        // revoke's token: the Google call span above names the method, so the HTTP span keeps the host only.
                        if (request.RequestUri is { IsAbsoluteUri: true } uri)
                        {
                            span.SetTag("url.full", uri.GetLeftPart(UriPartial.Authority) + "/");
                        }
                    })
                    .AddNpgsql();
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics => metrics
                .AddMeter(RunMetrics.MeterName, ApiCallAccounting.MeterName, "System.Runtime")
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation());
    }
}
