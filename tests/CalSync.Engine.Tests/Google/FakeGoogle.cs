using System.Net;
using System.Text;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Accounting;
using CalSync.Engine.Google.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CalSync.Engine.Tests.Google;

/// <summary>A scripted HttpMessageHandler: each request gets the next answer from <see cref="Respond"/>.</summary>
internal sealed class FakeHandler(Func<RecordedRequest, HttpResponseMessage> respond) : HttpMessageHandler
{
    public List<RecordedRequest> Requests { get; } = [];

    public Func<RecordedRequest, HttpResponseMessage> Respond { get; set; } = respond;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(
            request.Method, request.RequestUri!, request.Headers.Authorization?.Parameter,
            request.Headers.TryGetValues("If-Match", out var m) ? m.Single() : null,
            request.Content?.Headers.ContentType?.ToString(), body);
        lock (Requests)
        {
            Requests.Add(recorded);
        }
        return Respond(recorded);
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string json, Action<HttpResponseMessage>? configure = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        configure?.Invoke(response);
        return response;
    }

    public static HttpResponseMessage Error(HttpStatusCode status, string reason, string domain = "global", int? retryAfterSeconds = null) =>
        Json(status, $$$"""{"error":{"errors":[{"domain":"{{{domain}}}","reason":"{{{reason}}}","message":"m"}],"code":{{{(int)status}}},"message":"m"}}""",
            r => { if (retryAfterSeconds is { } s) { r.Headers.RetryAfter = new(TimeSpan.FromSeconds(s)); } });
}

internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Bearer, string? IfMatch, string? ContentType, string? Body);

internal sealed class FakeHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
}

/// <summary>A credential with a fixed token that can be told what a refresh yields.</summary>
internal sealed class StaticCredential(string accountKey, string token) : IGoogleCredential
{
    public string AccountKey { get; } = accountKey;
    public string Token { get; private set; } = token;
    public int Refreshes { get; private set; }
    public Func<string>? NextToken { get; set; }

    public ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Token);

    public ValueTask<string> RefreshAccessTokenAsync(string rejectedToken, CancellationToken cancellationToken)
    {
        Refreshes++;
        Token = NextToken?.Invoke() ?? Token + "-refreshed";
        return ValueTask.FromResult(Token);
    }
}

/// <summary>A client over a fake handler with fast retries; its quota lives in <c>dataSource</c>, as in production.</summary>
internal sealed class FakeGoogle : IDisposable
{
    public FakeGoogle(
        NpgsqlDataSource dataSource, Func<RecordedRequest, HttpResponseMessage> respond, Action<GoogleApiOptions>? configure = null,
        string? accountKey = null, ApiCallAccounting? accounting = null)
    {
        Handler = new FakeHandler(respond);
        Options = new GoogleApiOptions
        {
            CalendarBaseUri = new Uri("http://google.test/calendar/v3/"),
            BatchUri = new Uri("http://google.test/batch/calendar/v3"),
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryAttempts = 3,
        };
        configure?.Invoke(Options);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Limiter = new GoogleRateLimiter(new GoogleQuotaStore(dataSource), options, TimeProvider.System, NullLogger<GoogleRateLimiter>.Instance);
        Accounting = accounting ?? new ApiCallAccounting();
        Transport = new GoogleTransport(new FakeHttpClientFactory(Handler), options, Limiter, Accounting, TimeProvider.System, NullLogger<GoogleTransport>.Instance);
        // The quota is per account and lives in the database: a fresh account keeps tests apart.
        Credential = new StaticCredential(accountKey ?? $"account-{Guid.NewGuid():N}", "token-1");
        Client = new GoogleCalendarClient(Transport, Credential);
    }

    public FakeHandler Handler { get; }
    public GoogleApiOptions Options { get; }
    public GoogleRateLimiter Limiter { get; }
    public ApiCallAccounting Accounting { get; }
    public GoogleTransport Transport { get; }
    public StaticCredential Credential { get; }
    public GoogleCalendarClient Client { get; }

    public void Dispose()
    {
        Accounting.Dispose();
        Handler.Dispose();
    }
}
