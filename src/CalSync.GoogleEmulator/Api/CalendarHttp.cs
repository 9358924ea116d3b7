using System.IO.Compression;
using CalSync.GoogleEmulator.Faults;
using CalSync.GoogleEmulator.Stats;
using Microsoft.AspNetCore.Http.Features;

namespace CalSync.GoogleEmulator.Api;

/// <summary>The HTTP face of the Calendar API: turns requests into <see cref="ApiRequest"/>s and responses back.</summary>
internal static class CalendarHttp
{
    public static IEndpointRouteBuilder MapCalendarApi(this IEndpointRouteBuilder app)
    {
        app.Map("/calendar/v3/{**rest}", HandleAsync);
        return app;
    }

    private static async Task HandleAsync(HttpContext http, CalendarDispatcher dispatcher, FaultInjector faults, CallStats stats, TimeProvider time)
    {
        var request = await ReadAsync(http);
        await DelayAsync(faults, time, http.RequestAborted);
        if (dispatcher.Authenticate(request) is { } email)
        {
            stats.CountHttpRequest(email);
        }

        await WriteAsync(http, dispatcher.Handle(request));
    }

    public static async Task DelayAsync(FaultInjector faults, TimeProvider time, CancellationToken cancellationToken)
    {
        if (faults.Settings.LatencyMs is > 0 and var latency)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(latency), time, cancellationToken);
        }
    }

    public static async Task<ApiRequest> ReadAsync(HttpContext http)
    {
        // The raw target keeps %40 and friends so that each path segment is decoded exactly once.
        // (TestServer leaves it empty; the escaped path and query string are the same thing there.)
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            raw = http.Request.PathBase.Add(http.Request.Path).ToUriComponent() + http.Request.QueryString.ToUriComponent();
        }

        var question = raw.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? raw : raw[..question];
        var query = QueryParams.Parse(question < 0 ? null : raw[(question + 1)..]);
        var headers = ApiRequest.NewHeaders();
        foreach (var (name, value) in http.Request.Headers)
        {
            headers[name] = value.ToString();
        }

        var body = await ReadBodyAsync(http.Request);
        var method = http.Request.Method;

        // The .NET client turns long GETs into POST + X-HTTP-Method-Override with a form body.
        if (method == "POST" && headers.TryGetValue("X-HTTP-Method-Override", out var overridden))
        {
            method = overridden.ToUpperInvariant();
            if (http.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
            {
                query.Add(System.Text.Encoding.UTF8.GetString(body));
                body = [];
            }
        }

        return new ApiRequest(method, path, query, headers, body);
    }

    public static async Task WriteAsync(HttpContext http, ApiResponse result)
    {
        var response = http.Response;
        response.StatusCode = result.Status;
        if (result.ETag is not null)
        {
            response.Headers.ETag = result.ETag;
        }

        foreach (var (name, value) in result.Headers)
        {
            response.Headers[name] = value;
        }

        if (result.Body is not null)
        {
            await ResponseBody.WriteAsync(http, result.Body, "application/json; charset=UTF-8");
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        if (string.Equals(request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            // The .NET client gzips JSON bodies by default (GZipEnabled).
            await using var gzip = new GZipStream(request.Body, CompressionMode.Decompress);
            await gzip.CopyToAsync(buffer);
        }
        else
        {
            await request.Body.CopyToAsync(buffer);
        }

        return buffer.ToArray();
    }
}
