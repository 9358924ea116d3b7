using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>
/// Every copy carries private extended properties naming its sync and origin. They make copies
/// recognisable (never an origin of another copy) and let a lost link be rebuilt from the copy itself.
/// </summary>
public sealed record CopyMarker(Guid SyncId, string OriginEventId)
{
    public const string SyncKey = "calsyncSync";
    public const string OriginKey = "calsyncOrigin";

    public static CopyMarker? Read(GoogleEvent e)
    {
        var properties = e.ExtendedProperties?.Private;
        if (properties is null || !properties.TryGetValue(SyncKey, out var sync) || sync is null)
        {
            return null;
        }
        return Guid.TryParse(sync, out var syncId) && properties.TryGetValue(OriginKey, out var origin) && origin is not null
            ? new CopyMarker(syncId, origin)
            : new CopyMarker(Guid.Empty, "");
    }

    /// <summary>Written by CalSync (any sync): such an event is never the origin of a copy.</summary>
    public static bool IsCopy(GoogleEvent e) => e.ExtendedProperties?.Private?.ContainsKey(SyncKey) == true;

    public EventExtendedProperties ToProperties() => new()
    {
        Private = new Dictionary<string, string?> { [SyncKey] = Format(SyncId), [OriginKey] = OriginEventId },
    };

    /// <summary>The private properties every copy of the sync carries, as a listing filter (<c>privateExtendedProperty</c>).</summary>
    public static IReadOnlyDictionary<string, string> FilterFor(Guid syncId) => new Dictionary<string, string> { [SyncKey] = Format(syncId) };

    // Google matches property values as exact strings: the marker and the filter must spell the id alike.
    private static string Format(Guid syncId) => syncId.ToString("D");
}
