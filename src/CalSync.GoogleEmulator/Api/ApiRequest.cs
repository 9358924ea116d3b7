namespace CalSync.GoogleEmulator.Api;

/// <summary>
/// One Calendar call, independent of where it came from (an HTTP request or a batch part), so both run
/// exactly the same code.
/// </summary>
internal sealed record ApiRequest(string Method, string Path, QueryParams Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public static Dictionary<string, string> NewHeaders() => new(StringComparer.OrdinalIgnoreCase);
}
