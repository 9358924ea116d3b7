using System.Globalization;

namespace CalSync.Engine.Google;

/// <summary>
/// What an events listing asks for: a full listing of a window, or the changes since a sync token.
/// Both follow every page (<c>maxResults=2500</c>). Google forbids time bounds together with a sync token, and
/// expects the other parameters to equal those of the full listing that issued the token.
/// </summary>
public sealed record EventListQuery
{
    /// <summary>Events ending after this instant (exclusive lower bound on the end).</summary>
    public DateTimeOffset? TimeMin { get; init; }

    /// <summary>Events starting before this instant (exclusive upper bound on the start).</summary>
    public DateTimeOffset? TimeMax { get; init; }

    public string? SyncToken { get; init; }

    /// <summary>Expand recurring series into instances (CalSync's first version copies instances).</summary>
    public bool SingleEvents { get; init; } = true;

    /// <summary>Include cancelled events in a full listing (an incremental listing always includes them).</summary>
    public bool ShowDeleted { get; init; }

    /// <summary>
    /// Only events whose private extended properties hold every one of these (<c>privateExtendedProperty=key=value</c>,
    /// repeated); Google forbids it together with a sync token.
    /// </summary>
    public IReadOnlyDictionary<string, string>? PrivateProperties { get; init; }

    public static EventListQuery Window(DateTimeOffset timeMin, DateTimeOffset timeMax, bool singleEvents = true) =>
        new() { TimeMin = timeMin, TimeMax = timeMax, SingleEvents = singleEvents };

    public static EventListQuery Changes(string syncToken, bool singleEvents = true) =>
        new() { SyncToken = syncToken, SingleEvents = singleEvents };

    internal QueryString ToQuery(string? pageToken)
    {
        if (SyncToken is not null && (TimeMin is not null || TimeMax is not null || PrivateProperties is { Count: > 0 }))
        {
            throw new ArgumentException("A sync token cannot be combined with timeMin, timeMax or privateExtendedProperty.");
        }
        var query = new QueryString()
            .Add("maxResults", "2500")
            .Add("singleEvents", SingleEvents ? "true" : null)
            .Add("showDeleted", ShowDeleted && SyncToken is null ? "true" : null)
            .Add("timeMin", Format(TimeMin))
            .Add("timeMax", Format(TimeMax));
        foreach (var (key, value) in PrivateProperties ?? new Dictionary<string, string>())
        {
            query.Add("privateExtendedProperty", $"{key}={value}");
        }
        return query
            .Add("syncToken", SyncToken)
            .Add("pageToken", pageToken);
    }

    private static string? Format(DateTimeOffset? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public override string ToString() =>
        $"EventListQuery {{ TimeMin = {TimeMin:O}, TimeMax = {TimeMax:O}, Incremental = {SyncToken is not null}, SingleEvents = {SingleEvents}, PrivateProperties = {PrivateProperties?.Count ?? 0} }}";
}
