using System.Security.Cryptography;
using System.Text;
using CalSync.Engine.Push;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalSync.Api.Webhooks;

/// <summary>
/// <c>POST /webhooks/google</c>: where Google posts push notifications (https://developers.google.com/calendar/api/guides/push).
/// Anonymous: a notification proves itself by its channel id, token and resource id, checked against the stored
/// channel in constant time. It answers 200 quickly and never calls Google: it only queues runs. Anything it
/// cannot use (the first <c>sync</c> message, unknown or stopped channels, forgeries) also gets 200, so Google
/// does not retry it and a caller learns nothing from the answer.
/// </summary>
public static class GoogleWebhook
{
    public const string Path = "/webhooks/google";

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, HandleAsync)
            .AllowAnonymous()
            .WithTags("Webhooks")
            .WithSummary("Google Calendar push notification (called by Google; verified by channel token).");
        return app;
    }

    public static async Task<Results<Ok, ProblemHttpResult>> HandleAsync(
        HttpRequest request, WatchChannelStore channels, PushDebouncer debouncer, PushMetrics metrics, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var receivedAt = time.GetUtcNow();
        var channelId = Header(request, "X-Goog-Channel-ID");
        var resourceId = Header(request, "X-Goog-Resource-ID");
        var state = Header(request, "X-Goog-Resource-State");
        if (channelId is not { Length: > 0 and <= 64 } || resourceId is not { Length: > 0 and <= 256 } || state is not { Length: > 0 })
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a Google push notification",
                detail: "X-Goog-Channel-ID, X-Goog-Resource-ID and X-Goog-Resource-State are required.");
        }

        var channel = await channels.FindAsync(channelId, cancellationToken);
        if (channel is null)
        {
            metrics.Received("unknown");
            return TypedResults.Ok();
        }
        if (!ChannelTokens.Matches(Header(request, "X-Goog-Channel-Token"), channel.TokenHash) || !SameResource(channel.ResourceId, resourceId))
        {
            metrics.Received("unverified");
            return TypedResults.Ok();
        }
        if (channel.Status == ChannelStatus.Stopped)
        {
            // Google still talks to a channel we stopped: have the workers stop it (again).
            await channels.RequestStopAsync(channel.Id, resourceId, cancellationToken);
            metrics.Received("stopped");
            return TypedResults.Ok();
        }
        if (state == "sync")
        {
            metrics.Received("sync"); // The channel's first message says only that it works.
            return TypedResults.Ok();
        }

        metrics.Received("accepted");
        foreach (var reading in await channels.SyncsReadingAsync(channel.Calendar, cancellationToken))
        {
            debouncer.Notify(reading.SyncId, reading.Side, receivedAt);
        }
        return TypedResults.Ok();
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;

    /// <summary>A pending channel's resource id is not known yet (the watch has not answered): the token alone decides.</summary>
    private static bool SameResource(string? stored, string presented) =>
        stored is null || CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(stored), Encoding.UTF8.GetBytes(presented));
}
