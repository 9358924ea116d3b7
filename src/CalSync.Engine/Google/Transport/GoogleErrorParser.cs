using System.Net;
using System.Text.Json;
using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Google.Transport;

internal sealed record GoogleError(string? Reason, string? Message);

/// <summary>Reads Google's error body <c>{"error":{"errors":[{"reason",...}],"code","message"}}</c>.</summary>
internal static class GoogleErrorParser
{
    public static GoogleError? Parse(HttpStatusCode status, ReadOnlySpan<byte> body)
    {
        if ((int)status < 400)
        {
            return null;
        }
        try
        {
            var envelope = body.IsEmpty ? null : JsonSerializer.Deserialize(body, GoogleJsonContext.Default.ErrorEnvelope);
            var error = envelope?.Error;
            var first = error?.Errors is [var item, ..] ? item : null;
            return new GoogleError(first?.Reason ?? error?.Status, error?.Message ?? first?.Message);
        }
        catch (JsonException)
        {
            // A proxy or load balancer page instead of Google's JSON: the status alone must do.
            return new GoogleError(null, null);
        }
    }

    /// <summary>Retry-After as delta seconds or an HTTP date.</summary>
    public static TimeSpan? RetryAfter(System.Net.Http.Headers.RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };
}
