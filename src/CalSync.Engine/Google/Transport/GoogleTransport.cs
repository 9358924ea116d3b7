using System.Diagnostics;
using System.Net;
using CalSync.Engine.Google.Accounting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace CalSync.Engine.Google.Transport;

/// <summary>
/// Sends requests to Google for one account's credential: paces them through the shared rate limiter (and tells it
/// when Google refuses calls for quota), counts them, adds the bearer, refreshes the token once after a 401, and
/// retries transient failures.
/// Logs method, status and timing only: never URLs with tokens, headers or bodies.
/// </summary>
public sealed partial class GoogleTransport
{
    public const string HttpClientName = "CalSync.Google";

    private readonly IHttpClientFactory _httpClients;
    private readonly GoogleRateLimiter _limiter;
    private readonly ApiCallAccounting _accounting;
    private readonly TimeProvider _time;
    private readonly ILogger<GoogleTransport> _logger;
    private readonly ResiliencePipeline<GoogleResponse> _pipeline;

    public GoogleTransport(
        IHttpClientFactory httpClients,
        IOptions<GoogleApiOptions> options,
        GoogleRateLimiter limiter,
        ApiCallAccounting accounting,
        TimeProvider time,
        ILogger<GoogleTransport> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClients = httpClients;
        _limiter = limiter;
        _accounting = accounting;
        _time = time;
        _logger = logger;
        Options = options.Value;
        _pipeline = GoogleRetryPipeline.Create(Options, time, e =>
        {
            LogRetry(e.Attempt, e.Status is { } s ? (int)s : 0, e.Reason, e.Exception?.GetType().Name, e.Delay);
            GoogleTelemetry.Retrying(e);
        });
    }

    internal GoogleApiOptions Options { get; }

    internal TimeProvider Time => _time;

    internal GoogleRateLimiter Limiter => _limiter;

    /// <summary>
    /// Sends with retries; returns Google's final answer (error statuses included) or throws <see cref="GoogleNetworkException"/>.
    /// Traced as one span per call, or within <paramref name="span"/> when the caller (a batch) keeps it open for what it reads from the answer.
    /// </summary>
    internal async Task<GoogleResponse> SendAsync(IGoogleCredential credential, GoogleRequest request, CancellationToken cancellationToken, Activity? span = null)
    {
        using var own = span is null ? GoogleTelemetry.StartCall(request) : null;
        span ??= own;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        GoogleRetryPipeline.MarkStart(context, _time);
        var state = new CallState(this, credential, request);
        try
        {
            var response = await _pipeline.ExecuteAsync(static (ctx, s) => s.Transport.AttemptAsync(s, ctx.CancellationToken), context, state);
            GoogleTelemetry.Answered(span, response);
            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            GoogleTelemetry.Failed(span, ex, cancelledByCaller: false);
            throw new GoogleNetworkException(request.Name, ex);
        }
        catch (OperationCanceledException ex)
        {
            GoogleTelemetry.Failed(span, ex, cancelledByCaller: true);
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    internal ApiCallAccounting Accounting => _accounting;

    private async ValueTask<GoogleResponse> AttemptAsync(CallState state, CancellationToken cancellationToken)
    {
        var token = await state.Credential.GetAccessTokenAsync(cancellationToken);
        var response = await SendOnceAsync(state, token, cancellationToken);
        if (response.Status == HttpStatusCode.Unauthorized && !state.Refreshed)
        {
            // One refresh and one retry per call: a second 401 means the grant itself is broken.
            state.Refreshed = true;
            LogRefreshAfterUnauthorized(state.Request.Name);
            GoogleTelemetry.TokenRefreshed();
            token = await state.Credential.RefreshAccessTokenAsync(token, cancellationToken);
            response = await SendOnceAsync(state, token, cancellationToken);
        }
        return response;
    }

    private async ValueTask<GoogleResponse> SendOnceAsync(CallState state, string accessToken, CancellationToken cancellationToken)
    {
        var request = state.Request;
        await _limiter.AcquireAsync(state.Credential.AccountKey, request.Calls.Count, cancellationToken);
        _accounting.Record(state.Credential.AccountKey, request.Calls);
        var started = _time.GetTimestamp();
        using var message = request.ToMessage(accessToken);
        var http = _httpClients.CreateClient(HttpClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.RequestTimeout);
        GoogleResponse response;
        try
        {
            using var answer = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token);
            var body = await answer.Content.ReadAsByteArrayAsync(timeout.Token);
            response = new GoogleResponse(
                answer.StatusCode,
                body,
                answer.Content.Headers.ContentType?.ToString(),
                GoogleErrorParser.RetryAfter(answer.Headers.RetryAfter, _time.GetUtcNow()));
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            _accounting.Measure(request, GoogleTelemetry.Outcome(ex, cancellationToken.IsCancellationRequested));
            throw;
        }
        _accounting.Measure(request, GoogleTelemetry.Outcome(response));
        var elapsed = _time.GetElapsedTime(started);
        LogSent(request.Name, request.Calls.Count, (int)response.Status, response.Reason, elapsed);
        if (response.IsRateLimited)
        {
            await _limiter.RateLimitedAsync(state.Credential.AccountKey, request.Calls.Count, cancellationToken);
        }
        return response;
    }

    private sealed class CallState(GoogleTransport transport, IGoogleCredential credential, GoogleRequest request)
    {
        public GoogleTransport Transport { get; } = transport;
        public IGoogleCredential Credential { get; } = credential;
        public GoogleRequest Request { get; } = request;
        public bool Refreshed { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Google {Name} ({Calls} calls) answered {Status} {Reason} in {Elapsed}")]
    private partial void LogSent(string name, int calls, int status, string? reason, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Google rejected the access token for {Name}; refreshing once and retrying")]
    private partial void LogRefreshAfterUnauthorized(string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retrying a Google call (retry {Attempt}) after {Status} {Reason} {Exception} in {Delay}")]
    private partial void LogRetry(int attempt, int status, string? reason, string? exception, TimeSpan delay);
}
