using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>
/// Every copy carries private extended properties naming its sync and origin. They make copies
/// recognisable (never an origin of another copy) and let a lost link be rebuilt from the copy itself.
/// The properties alone prove nothing: anyone who can write to a calendar can read them off a copy and
/// plant them on an event of their own. A marker is trusted only on an event whose id is the copy id
/// CalSync derives from it (<see cref="CopyIds"/>), which nobody else can give an event that already exists.
/// </summary>
public sealed record CopyMarker(Guid SyncId, string OriginEventId)
{
    public const string SyncKey = "calsyncSync";
    public const string OriginKey = "calsyncOrigin";

    // Google's event ids are at most 1024 characters of letters, digits and a few marks.
    private const int MaxEventIdLength = 1024;

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

    /// <summary>Is <paramref name="e"/> really the copy this marker names, made by CalSync for some sync (either direction)?</summary>
    public bool IsGenuine(GoogleEvent e) =>
        IsPlausibleEventId(OriginEventId)
        && (CopyIds.IsCopyId(SyncId, Side.A, OriginEventId, e.Id) || CopyIds.IsCopyId(SyncId, Side.B, OriginEventId, e.Id));

    /// <summary>Is <paramref name="e"/>, found on <paramref name="side"/>, a copy that <paramref name="syncId"/> made of an origin on the other side?</summary>
    public bool IsCopyOf(Guid syncId, Side side, GoogleEvent e) =>
        SyncId == syncId && IsPlausibleEventId(OriginEventId) && CopyIds.IsCopyId(syncId, side.Other(), OriginEventId, e.Id);

    public EventExtendedProperties ToProperties() => new()
    {
        Private = new Dictionary<string, string?> { [SyncKey] = Format(SyncId), [OriginKey] = OriginEventId },
    };

    /// <summary>The private properties every copy of the sync carries, as a listing filter (<c>privateExtendedProperty</c>).</summary>
    public static IReadOnlyDictionary<string, string> FilterFor(Guid syncId) => new Dictionary<string, string> { [SyncKey] = Format(syncId) };

    private static bool IsPlausibleEventId(string id) =>
        id.Length is > 0 and <= MaxEventIdLength && id.All(c => c is > ' ' and < '\u007f');

    // Google matches property values as exact strings: the marker and the filter must spell the id alike.
    private static string Format(Guid syncId) => syncId.ToString("D");
}
