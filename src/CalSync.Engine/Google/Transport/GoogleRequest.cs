using System.Net;
using System.Net.Http.Headers;

namespace CalSync.Engine.Google.Transport;

/// <summary>One HTTP request to Google, replayable: each attempt builds a fresh <see cref="HttpRequestMessage"/>.</summary>
internal sealed record GoogleRequest
{
    public required HttpMethod Method { get; init; }
    public required Uri Uri { get; init; }

    /// <summary>Names the request in errors and logs (a Calendar method id, or <c>batch</c>).</summary>
    public required string Name { get; init; }

    /// <summary>A batch request: its answer holds one answer per part.</summary>
    public bool IsBatch => Name == BatchName;

    public const string BatchName = "batch";

    /// <summary>The Calendar methods this request spends quota on: one, or one per batch part.</summary>
    public required IReadOnlyList<string> Calls { get; init; }

    public byte[]? Body { get; init; }
    public string? ContentType { get; init; }
    public string? IfMatch { get; init; }

    public HttpRequestMessage ToMessage(string accessToken)
    {
        var message = new HttpRequestMessage(Method, Uri);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (IfMatch is not null)
        {
            // Google's etags are quoted strings; TryAddWithoutValidation keeps them verbatim.
            message.Headers.TryAddWithoutValidation("If-Match", IfMatch);
        }
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType ?? "application/json; charset=utf-8");
        }
        return message;
    }
}

/// <summary>A buffered answer from Google: small enough to hold (a page is at most 2,500 events), and readable twice.</summary>
internal sealed record GoogleResponse(HttpStatusCode Status, byte[] Body, string? ContentType, TimeSpan? RetryAfter)
{
    private readonly Lazy<GoogleError?> _error = new(() => GoogleErrorParser.Parse(Status, Body));

    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public string? Reason => _error.Value?.Reason;

    public GoogleError? Error => _error.Value;

    public bool IsTransient => !IsSuccess && GoogleApiException.IsTransient(Status, Reason);

    /// <summary>Google refused the call for quota (403 rate-limit reasons or 429).</summary>
    public bool IsRateLimited => GoogleApiException.IsRateLimit(Status, Reason);

    public GoogleApiException ToException(string method) =>
        new(method, Status, Reason, _error.Value?.Message, RetryAfter);
}
