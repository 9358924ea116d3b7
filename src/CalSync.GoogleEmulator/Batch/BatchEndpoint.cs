using System.Globalization;
using System.Text;
using CalSync.GoogleEmulator.Api;
using CalSync.GoogleEmulator.Faults;
using CalSync.GoogleEmulator.Stats;
using Microsoft.AspNetCore.WebUtilities;

namespace CalSync.GoogleEmulator.Batch;

/// <summary>POST /batch/calendar/v3: unwraps the parts, runs each as its own call, answers in request order (https://developers.google.com/calendar/api/guides/batch).</summary>
internal static class BatchEndpoint
{
    /// <summary>Google's current limit.</summary>
    private const int MaxParts = 1000;

    public static IEndpointRouteBuilder MapBatch(this IEndpointRouteBuilder app)
    {
        app.MapPost("/batch/calendar/v3", HandleAsync);

        // Google.Apis' fallback batch URL when a service names none.
        app.MapPost("/batch", HandleAsync);
        return app;
    }

    private static async Task HandleAsync(HttpContext http, CalendarDispatcher dispatcher, FaultInjector faults, CallStats stats, TimeProvider time)
    {
        var outer = await CalendarHttp.ReadAsync(http);
        await CalendarHttp.DelayAsync(faults, time, http.RequestAborted);
        if (dispatcher.Authenticate(outer) is { } email)
        {
            stats.CountHttpRequest(email);
        }

        if (BatchParser.Boundary(http.Request.ContentType) is not { } boundary)
        {
            await CalendarHttp.WriteAsync(http, GoogleError.BadRequest("Request must be multipart/mixed with a boundary."));
            return;
        }

        var rawQuery = http.Request.QueryString.HasValue ? http.Request.QueryString.Value![1..] : null;
        var parts = BatchParser.Parse(Encoding.UTF8.GetString(outer.Body), boundary, outer.Headers, rawQuery);
        if (parts.Count > MaxParts)
        {
            await CalendarHttp.WriteAsync(http, GoogleError.BadRequest($"A batch may hold at most {MaxParts} requests."));
            return;
        }

        var responseBoundary = "batch_" + Guid.NewGuid().ToString("N");
        var body = new StringBuilder();
        foreach (var part in parts)
        {
            var result = part.Request is null ? GoogleError.BadRequest() : dispatcher.Handle(part.Request);
            AppendPart(body, responseBoundary, part.ContentId, result);
        }

        body.Append("--").Append(responseBoundary).Append("--\r\n");

        // Unquoted boundary as the last parameter: the .NET client takes everything after "boundary=".
        await ResponseBody.WriteAsync(http, Encoding.UTF8.GetBytes(body.ToString()), "multipart/mixed; boundary=" + responseBoundary);
    }

    private static void AppendPart(StringBuilder body, string boundary, string? contentId, ApiResponse result)
    {
        body.Append("--").Append(boundary).Append("\r\n");
        body.Append("Content-Type: application/http\r\n");
        if (contentId is not null)
        {
            // Google answers "<response-" + the request's Content-ID; python's client maps parts by it.
            body.Append("Content-ID: <response-").Append(contentId.Trim().TrimStart('<').TrimEnd('>')).Append(">\r\n");
        }

        body.Append("\r\n");
        body.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {result.Status} {ReasonPhrases.GetReasonPhrase(result.Status)}\r\n");
        var text = result.Body is null ? "" : Encoding.UTF8.GetString(result.Body);
        if (result.Body is not null)
        {
            body.Append("Content-Type: application/json; charset=UTF-8\r\n");
        }

        if (result.ETag is not null)
        {
            body.Append("ETag: ").Append(result.ETag).Append("\r\n");
        }

        foreach (var (name, value) in result.Headers)
        {
            body.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        body.Append(CultureInfo.InvariantCulture, $"Content-Length: {Encoding.UTF8.GetByteCount(text)}\r\n\r\n");
        body.Append(text).Append("\r\n");
    }
}
