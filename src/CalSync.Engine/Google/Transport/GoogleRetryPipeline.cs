using Polly;
using Polly.Retry;

namespace CalSync.Engine.Google.Transport;

/// <summary>
/// Retries of one Google call (Polly v8): exponential backoff with jitter on 5xx, 408, 429, 403
/// <c>rateLimitExceeded</c>/<c>userRateLimitExceeded</c> and network failures, honouring Retry-After, within
/// <see cref="GoogleApiOptions.MaxRetryAttempts"/> and <see cref="GoogleApiOptions.RetryBudget"/>. Every Calendar
/// write is safe to repeat: inserts carry client-chosen ids (a repeat answers 409) and updates carry If-Match.
/// </summary>
internal static class GoogleRetryPipeline
{
    private static readonly ResiliencePropertyKey<long> StartedKey = new("calsync.google.started");

    public static ResiliencePipeline<GoogleResponse> Create(GoogleApiOptions options, TimeProvider time, Action<GoogleRetryEvent> onRetry) =>
        new ResiliencePipelineBuilder<GoogleResponse> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<GoogleResponse>
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    options.MaxRetryAttempts > 0 && ShouldRetry(args.Outcome, args.Context, options, time)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter),
                OnRetry = args =>
                {
                    onRetry(new GoogleRetryEvent(
                        args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Result?.Status, args.Outcome.Result?.Reason, args.Outcome.Exception));
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    /// <summary>Marks the start of a call so the retry budget can be measured.</summary>
    public static void MarkStart(ResilienceContext context, TimeProvider time) =>
        context.Properties.Set(StartedKey, time.GetTimestamp());

    private static bool ShouldRetry(Outcome<GoogleResponse> outcome, ResilienceContext context, GoogleApiOptions options, TimeProvider time)
    {
        var elapsed = context.Properties.TryGetValue(StartedKey, out var started) ? time.GetElapsedTime(started) : TimeSpan.Zero;
        return outcome switch
        {
            { Result: { IsTransient: true } response } => elapsed + (response.RetryAfter ?? TimeSpan.Zero) <= options.RetryBudget,
            { Exception: HttpRequestException } => elapsed <= options.RetryBudget,
            // HttpClient's own timeout surfaces as a cancellation the caller did not ask for.
            { Exception: OperationCanceledException } => !context.CancellationToken.IsCancellationRequested && elapsed <= options.RetryBudget,
            _ => false,
        };
    }
}

internal sealed record GoogleRetryEvent(int Attempt, TimeSpan Delay, System.Net.HttpStatusCode? Status, string? Reason, Exception? Exception);
