using System.Net;
using System.Text.Json;
using CalSync.Engine.Google.Batch;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Google.Transport;
using Polly;
using Polly.Retry;

namespace CalSync.Engine.Google;

public sealed partial class GoogleCalendarClient
{
    /// <summary>
    /// Runs event operations as batch requests of at most <see cref="GoogleApiOptions.MaxBatchSize"/> parts and
    /// returns one result per operation, in order. Parts that fail transiently (rate limits, 5xx) are sent again
    /// in a later batch with backoff; a 401 part triggers one token refresh. Other part failures are results.
    /// </summary>
    public async Task<IReadOnlyList<BatchResult>> ExecuteBatchAsync(IReadOnlyList<CalendarOperation> operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var options = transport.Options;
        var time = transport.Time;
        var started = time.GetTimestamp();
        var results = new BatchResult?[operations.Count];
        var last = new GoogleResponse?[operations.Count];
        var pending = Enumerable.Range(0, operations.Count).ToList();
        var refreshed = false;
        // The transport's own backoff (Polly's exponential with jitter, or Google's Retry-After), between rounds of
        // the parts still to send; a round that only needs a fresh token goes again at once.
        var rounds = new ResiliencePipelineBuilder<BatchRound> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<BatchRound>
            {
                // One more round than the transient retries: a 401 part gets one token refresh on top.
                MaxRetryAttempts = options.MaxRetryAttempts + 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Retry.Count: > 0 } round
                    && (round.Unauthorized || time.GetElapsedTime(started) + (round.RetryAfter ?? TimeSpan.Zero) <= options.RetryBudget)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result!.Unauthorized ? TimeSpan.Zero : args.Outcome.Result.RetryAfter),
            })
            .Build();

        var attempt = 0;
        var end = await rounds.ExecuteAsync(async token =>
        {
            var retry = new List<int>();
            var unauthorized = false;
            TimeSpan? retryAfter = null;
            foreach (var chunk in pending.Chunk(options.MaxBatchSize))
            {
                var responses = await SendBatchAsync([.. chunk.Select(i => operations[i])], token);
                for (var j = 0; j < chunk.Length; j++)
                {
                    var index = chunk[j];
                    var response = responses[j];
                    last[index] = response;
                    if (response.IsTransient && attempt < options.MaxRetryAttempts)
                    {
                        retry.Add(index);
                        retryAfter = Max(retryAfter, response.RetryAfter);
                    }
                    else if (response.Status == HttpStatusCode.Unauthorized && !refreshed)
                    {
                        retry.Add(index);
                        unauthorized = true;
                    }
                    else
                    {
                        results[index] = ToResult(operations[index], response);
                    }
                }
            }
            attempt++;
            if (unauthorized)
            {
                refreshed = true;
                var rejected = await credential.GetAccessTokenAsync(token);
                await credential.RefreshAccessTokenAsync(rejected, token);
            }
            pending = retry;
            return new BatchRound(retry, retryAfter, unauthorized);
        }, cancellationToken);

        // Out of rounds or of budget: report the last answers; they say whether they are retryable.
        foreach (var index in end.Retry)
        {
            results[index] = ToResult(operations[index], last[index]!);
        }
        return [.. results.Select(r => r!)];
    }

    /// <summary>What one round of a batch left to send again, and how long Google asked to wait first.</summary>
    private sealed record BatchRound(IReadOnlyList<int> Retry, TimeSpan? RetryAfter, bool Unauthorized);

    private async Task<IReadOnlyList<GoogleResponse>> SendBatchAsync(IReadOnlyList<CalendarOperation> operations, CancellationToken cancellationToken)
    {
        var (body, contentType) = BatchEncoder.Encode(operations, transport.Options.CalendarBaseUri, "batch_" + Guid.NewGuid().ToString("N"));
        var request = new GoogleRequest
        {
            Method = HttpMethod.Post,
            Uri = transport.Options.BatchUri,
            Name = GoogleRequest.BatchName,
            Calls = [.. operations.Select(o => o.MethodId)],
            Body = body,
            ContentType = contentType,
        };
        // The span stays open past the answer, so the parts read from it are events of their batch.
        using var span = GoogleTelemetry.StartCall(request);
        var response = await transport.SendAsync(credential, request, cancellationToken, span);
        if (!response.IsSuccess)
        {
            throw response.ToException("batch");
        }
        IReadOnlyList<BatchPart> parts;
        try
        {
            parts = BatchParser.Parse(response.Body, response.ContentType);
        }
        catch (FormatException)
        {
            // Something between CalSync and Google answered in its place: treat it like a bad gateway (retryable).
            throw new GoogleApiException("batch", HttpStatusCode.BadGateway, "malformedBatchResponse", "The batch response is not multipart/mixed.");
        }
        var mapped = new GoogleResponse?[operations.Count];
        for (var position = 0; position < parts.Count; position++)
        {
            var index = parts[position].Index ?? position;
            if (index >= 0 && index < mapped.Length)
            {
                mapped[index] = parts[position].Response;
            }
        }
        var refused = mapped.Count(r => r is { IsRateLimited: true });
        if (refused > 0)
        {
            // A batch answers 200 even when Google refused parts for quota; the limiter must learn of them all the same.
            await transport.Limiter.RateLimitedAsync(credential.AccountKey, refused, cancellationToken);
        }
        // A part Google left out is treated as a transient server failure, so it is sent again.
        GoogleResponse[] answers = [.. mapped.Select(r => r ?? new GoogleResponse(HttpStatusCode.InternalServerError, [], null, null))];
        GoogleTelemetry.Parts(span, request.Calls, answers);
        transport.Accounting.MeasureParts(request.Calls, answers);
        return answers;
    }

    private static BatchResult ToResult(CalendarOperation operation, GoogleResponse response)
    {
        if (!response.IsSuccess)
        {
            return new BatchResult(operation, response.Status, null, response.ToException(operation.MethodId));
        }
        var googleEvent = response.Body.Length == 0 ? null : JsonSerializer.Deserialize(response.Body, GoogleJsonContext.Default.GoogleEvent);
        return new BatchResult(operation, response.Status, googleEvent, null);
    }

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
