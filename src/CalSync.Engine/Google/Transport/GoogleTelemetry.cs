using System.Diagnostics;
using System.Net;
using CalSync.Engine.Hosting;

namespace CalSync.Engine.Google.Transport;

/// <summary>
/// A span per Google call (its retries and HTTP attempts beneath it; a batch's parts as events) and the outcome
/// words the call metrics use. Carries the Calendar method, statuses and Google's reason only: never URLs (they
/// hold calendar ids, sync and page tokens), headers or bodies.
/// </summary>
internal static class GoogleTelemetry
{
    public const string MethodAttribute = "google.method";
    public const string CallsAttribute = "google.calls";
    public const string OutcomeAttribute = "google.outcome";
    public const string StatusAttribute = "http.response.status_code";
    public const string ReasonAttribute = "google.reason";

    public static Activity? StartCall(GoogleRequest request)
    {
        var span = Telemetry.Source.StartActivity("google " + request.Name, ActivityKind.Internal);
        span?.SetTag(MethodAttribute, request.Name);
        span?.SetTag(CallsAttribute, request.Calls.Count);
        return span;
    }

    public static void Answered(Activity? span, GoogleResponse response)
    {
        if (span is null)
        {
            return;
        }
        span.SetTag(StatusAttribute, (int)response.Status);
        span.SetTag(OutcomeAttribute, Outcome(response));
        span.SetTag(ReasonAttribute, response.Reason);
        if (!response.IsSuccess)
        {
            span.SetStatus(ActivityStatusCode.Error, response.Reason ?? response.Status.ToString());
        }
    }

    public static void Failed(Activity? span, Exception exception, bool cancelledByCaller)
    {
        span?.SetTag(OutcomeAttribute, Outcome(exception, cancelledByCaller));
        // The exception's type only: messages of HTTP failures can quote the request URL.
        span?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
    }

    public static void Retrying(GoogleRetryEvent retry) =>
        Activity.Current?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection
        {
            ["retry.attempt"] = retry.Attempt,
            ["retry.delay_ms"] = retry.Delay.TotalMilliseconds,
            [StatusAttribute] = retry.Status is { } status ? (int)status : null,
            [ReasonAttribute] = retry.Reason,
            ["exception.type"] = retry.Exception?.GetType().Name,
        }));

    public static void TokenRefreshed() => Activity.Current?.AddEvent(new ActivityEvent("access token refreshed after 401"));

    /// <summary>One event per batch part, in the order of the operations.</summary>
    public static void Parts(Activity? span, IReadOnlyList<string> methods, IReadOnlyList<GoogleResponse> parts)
    {
        if (span is null)
        {
            return;
        }
        for (var i = 0; i < parts.Count; i++)
        {
            span.AddEvent(new ActivityEvent("batch part", tags: new ActivityTagsCollection
            {
                ["google.batch.part"] = i,
                [MethodAttribute] = methods[i],
                [StatusAttribute] = (int)parts[i].Status,
                [OutcomeAttribute] = Outcome(parts[i]),
                [ReasonAttribute] = parts[i].Reason,
            }));
        }
    }

    /// <summary>A few words for what Google answered, so metrics stay a handful of series per method.</summary>
    public static string Outcome(GoogleResponse response) => response switch
    {
        { IsSuccess: true } => "success",
        { IsRateLimited: true } => "rate_limited",
        { Status: HttpStatusCode.Unauthorized } => "unauthorized",
        { Status: >= HttpStatusCode.InternalServerError } => "server_error",
        _ => "client_error",
    };

    public static string Outcome(Exception exception, bool cancelledByCaller) =>
        cancelledByCaller ? "cancelled" : exception is HttpRequestException or OperationCanceledException ? "network_error" : "error";
}
