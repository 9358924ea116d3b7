using System.Net.Http.Headers;
using CalSync.GoogleEmulator.Api;

namespace CalSync.GoogleEmulator.Batch;

/// <summary>One part of a batch request: its Content-ID and the nested request.</summary>
internal sealed record BatchPart(string? ContentId, ApiRequest? Request);

/// <summary>
/// Parses multipart/mixed batch bodies as the official clients send them: quoted or unquoted
/// boundary, CRLF or LF, absolute or path-only request lines with or without "HTTP/1.1".
/// </summary>
internal static class BatchParser
{
    public static string? Boundary(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !string.Equals(media.MediaType, "multipart/mixed", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var boundary = media.Parameters.FirstOrDefault(p => string.Equals(p.Name, "boundary", StringComparison.OrdinalIgnoreCase))?.Value;
        return boundary?.Trim('"');
    }

    public static List<BatchPart> Parse(string body, string boundary, IReadOnlyDictionary<string, string> outerHeaders, string? outerQuery)
    {
        var parts = new List<BatchPart>();
        var chunks = body.Split("--" + boundary);
        foreach (var chunk in chunks.Skip(1))
        {
            if (chunk.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }

            var (partHead, inner) = SplitAtBlankLine(chunk.TrimStart('\r', '\n'));
            var partHeaders = Headers(partHead);
            parts.Add(new BatchPart(partHeaders.GetValueOrDefault("Content-ID"), ParseRequest(inner, outerHeaders, outerQuery)));
        }

        return parts;
    }

    private static ApiRequest? ParseRequest(string text, IReadOnlyDictionary<string, string> outerHeaders, string? outerQuery)
    {
        var (head, body) = SplitAtBlankLine(text.TrimStart('\r', '\n'));
        var lines = head.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var requestLine = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (requestLine.Length < 2)
        {
            return null;
        }

        // Outer headers apply to every part except Content-*; a part's own header wins.
        var headers = ApiRequest.NewHeaders();
        foreach (var (name, value) in outerHeaders)
        {
            if (!name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                headers[name] = value;
            }
        }

        foreach (var (name, value) in Headers(string.Join('\n', lines.Skip(1))))
        {
            headers[name] = value;
        }

        var target = StripOrigin(requestLine[1]);
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var query = QueryParams.Parse(outerQuery);
        query.Add(question < 0 ? null : target[(question + 1)..]);
        var path = question < 0 ? target : target[..question];

        // The newline before the next delimiter belongs to the delimiter.
        var trimmed = body.EndsWith("\r\n", StringComparison.Ordinal) ? body[..^2] : body.EndsWith('\n') ? body[..^1] : body;
        return new ApiRequest(requestLine[0].ToUpperInvariant(), path, query, headers, System.Text.Encoding.UTF8.GetBytes(trimmed));
    }

    private static string StripOrigin(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return url;
        }

        var slash = url.IndexOf('/', scheme + 3);
        return slash < 0 ? "/" : url[slash..];
    }

    private static Dictionary<string, string> Headers(string block)
    {
        var result = ApiRequest.NewHeaders();
        foreach (var line in block.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                result[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return result;
    }

    private static (string Head, string Tail) SplitAtBlankLine(string text)
    {
        var crlf = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lf = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (crlf >= 0 && (lf < 0 || crlf < lf))
        {
            return (text[..crlf], text[(crlf + 4)..]);
        }

        return lf >= 0 ? (text[..lf], text[(lf + 2)..]) : (text, "");
    }
}
