using System.Text.Json.Nodes;

namespace CalSync.GoogleEmulator.Api;

/// <summary>
/// The outcome of one Calendar call, already serialised, so the same value can be written to an
/// HTTP response or into a batch part.
/// </summary>
internal sealed record ApiResponse(int Status, byte[]? Body, string? ETag = null)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public static ApiResponse Json(int status, JsonNode node, string? etag = null) =>
        new(status, GoogleJson.ToUtf8(node), etag);

    public static ApiResponse Raw(int status, byte[] body, string? etag = null) => new(status, body, etag);

    public static ApiResponse NoContent() => new(204, null);

    public static ApiResponse NotModified() => new(304, null);

    public ApiResponse WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers) { [name] = value } };
}
