using System.Text.Json;
using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Google;

/// <summary>
/// A partial event for <c>events.patch</c>: the non-null fields of <see cref="Changes"/> are set, the JSON
/// field names in <see cref="Clear"/> are sent as null (cleared), everything else stays as it is at Google.
/// A null value in <c>extendedProperties.private</c> deletes that key.
/// </summary>
public sealed record EventPatch
{
    public required GoogleEvent Changes { get; init; }

    /// <summary>JSON field names to clear, e.g. <c>description</c>, <c>location</c>, <c>colorId</c>.</summary>
    public IReadOnlyCollection<string> Clear { get; init; } = [];

    internal byte[] ToJson()
    {
        var node = JsonSerializer.SerializeToNode(Changes, GoogleJsonContext.Default.GoogleEvent)!.AsObject();
        foreach (var name in Clear)
        {
            node[name] = null;
        }
        return JsonSerializer.SerializeToUtf8Bytes(node, GoogleJsonContext.Default.JsonObject);
    }
}
