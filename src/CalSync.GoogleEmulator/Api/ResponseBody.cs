using System.IO.Compression;

namespace CalSync.GoogleEmulator.Api;

/// <summary>
/// Writes a response body, gzip-compressed when the client asks the way Google requires: an
/// <c>Accept-Encoding: gzip</c> header and "gzip" in the User-Agent (as the official clients send).
/// </summary>
internal static class ResponseBody
{
    public static async Task WriteAsync(HttpContext http, byte[] body, string contentType)
    {
        var response = http.Response;
        response.ContentType = contentType;
        if (!WantsGzip(http.Request))
        {
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, http.RequestAborted);
            return;
        }

        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(body, http.RequestAborted);
        }

        response.Headers.ContentEncoding = "gzip";
        response.Headers.Vary = "Origin, X-Origin, Referer";
        response.ContentLength = compressed.Length;
        compressed.Position = 0;
        await compressed.CopyToAsync(response.Body, http.RequestAborted);
    }

    private static bool WantsGzip(HttpRequest request) =>
        request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
        && request.Headers.UserAgent.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
}
