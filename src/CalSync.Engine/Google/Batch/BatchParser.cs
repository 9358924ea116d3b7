using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CalSync.Engine.Google.Transport;

namespace CalSync.Engine.Google.Batch;

/// <summary>
/// Reads a batch response: <c>multipart/mixed</c> whose parts each hold a full HTTP response. Tolerates a
/// quoted or unquoted boundary, CRLF or LF line ends, and a missing Content-ID (then parts map by position).
/// </summary>
internal static class BatchParser
{
    public static IReadOnlyList<BatchPart> Parse(byte[] body, string? contentType)
    {
        var boundary = BoundaryOf(contentType);
        var text = Encoding.UTF8.GetString(body);
        var delimiter = "--" + boundary;
        var parts = new List<BatchPart>();
        var segments = text.Split(delimiter, StringSplitOptions.None);
        // segments[0] is the preamble; a segment starting with "--" follows the closing delimiter.
        foreach (var segment in segments.Skip(1))
        {
            if (segment.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }
            parts.Add(ParsePart(segment));
        }
        return parts;
    }

    private static string BoundaryOf(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media)
            || media.Parameters.FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value is not { Length: > 0 } value)
        {
            throw new FormatException("The batch response has no multipart boundary.");
        }
        return value.Trim('"');
    }

    private static BatchPart ParsePart(string segment)
    {
        var reader = new LineReader(segment);
        reader.SkipLineEnd();
        var partHeaders = reader.ReadHeaders();
        var statusLine = reader.ReadLine() ?? throw new FormatException("A batch part has no status line.");
        var headers = reader.ReadHeaders();
        var content = reader.Rest().TrimEnd('\r', '\n');

        // "HTTP/1.1 200 OK": the code is the second token.
        var tokens = statusLine.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length < 2 || !int.TryParse(tokens[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            throw new FormatException("A batch part has a malformed status line.");
        }
        TimeSpan? retryAfter = headers.TryGetValue("Retry-After", out var ra)
            && int.TryParse(ra, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;
        var response = new GoogleResponse((HttpStatusCode)code, Encoding.UTF8.GetBytes(content), headers.GetValueOrDefault("Content-Type"), retryAfter);
        return new BatchPart(ContentIndex(partHeaders.GetValueOrDefault("Content-ID")), response);
    }

    /// <summary>"&lt;response-item-7&gt;" → 7.</summary>
    private static int? ContentIndex(string? contentId)
    {
        if (contentId is null)
        {
            return null;
        }
        var marker = contentId.IndexOf(BatchEncoder.ContentIdPrefix, StringComparison.Ordinal);
        if (marker < 0)
        {
            return null;
        }
        var digits = contentId[(marker + BatchEncoder.ContentIdPrefix.Length)..].TrimEnd('>', ' ');
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    private sealed class LineReader(string text)
    {
        private int _position;

        public void SkipLineEnd()
        {
            if (_position < text.Length && text[_position] == '\r') { _position++; }
            if (_position < text.Length && text[_position] == '\n') { _position++; }
        }

        public string? ReadLine()
        {
            if (_position >= text.Length)
            {
                return null;
            }
            var end = text.IndexOf('\n', _position);
            var line = end < 0 ? text[_position..] : text[_position..end];
            _position = end < 0 ? text.Length : end + 1;
            return line.TrimEnd('\r');
        }

        public Dictionary<string, string> ReadHeaders()
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            while (ReadLine() is { Length: > 0 } line)
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }
            return headers;
        }

        public string Rest() => _position >= text.Length ? "" : text[_position..];
    }
}

internal sealed record BatchPart(int? Index, GoogleResponse Response);
