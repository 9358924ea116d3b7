using System.Text;

namespace CalSync.Engine.Google.Batch;

/// <summary>
/// Writes a Calendar batch request body (<c>multipart/mixed</c>, one <c>application/http</c> part per call,
/// request lines with the path only, CRLF line ends). The outer Authorization header applies to every part.
/// </summary>
internal static class BatchEncoder
{
    public const string ContentIdPrefix = "item-";

    public static (byte[] Body, string ContentType) Encode(IReadOnlyList<CalendarOperation> operations, Uri calendarBaseUri, string boundary)
    {
        using var stream = new MemoryStream();
        foreach (var (operation, index) in operations.Select((o, i) => (o, i)))
        {
            var path = new Uri(calendarBaseUri, operation.RelativeUri).PathAndQuery;
            var head = new StringBuilder()
                .Append("--").Append(boundary).Append("\r\n")
                .Append("Content-Type: application/http\r\n")
                .Append("Content-ID: <").Append(ContentIdPrefix).Append(index).Append(">\r\n")
                .Append("\r\n")
                .Append(operation.Method.Method).Append(' ').Append(path).Append(" HTTP/1.1\r\n");
            if (operation.IfMatch is not null)
            {
                head.Append("If-Match: ").Append(operation.IfMatch).Append("\r\n");
            }
            if (operation.Body is not null)
            {
                head.Append("Content-Type: application/json; charset=UTF-8\r\n")
                    .Append("Content-Length: ").Append(operation.Body.Length).Append("\r\n");
            }
            head.Append("\r\n");
            stream.Write(Encoding.UTF8.GetBytes(head.ToString()));
            if (operation.Body is not null)
            {
                stream.Write(operation.Body);
            }
            stream.Write("\r\n"u8);
        }
        stream.Write(Encoding.UTF8.GetBytes($"--{boundary}--\r\n"));
        return (stream.ToArray(), $"multipart/mixed; boundary={boundary}");
    }
}
