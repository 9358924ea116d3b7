using System.Globalization;
using CalSync.GoogleEmulator.Api;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Events;

/// <summary>events.list / events.instances parameters, validated as Google does.</summary>
internal sealed record ListParams
{
    /// <summary>Parameters that may not accompany a sync token.</summary>
    private static readonly string[] NotWithSyncToken =
        ["iCalUID", "orderBy", "privateExtendedProperty", "q", "sharedExtendedProperty", "timeMin", "timeMax", "updatedMin"];

    private static readonly HashSet<string> EventTypeValues =
        ["birthday", "default", "focusTime", "fromGmail", "outOfOffice", "workingLocation"];

    public DateTimeOffset? TimeMin { get; init; }

    public DateTimeOffset? TimeMax { get; init; }

    public DateTimeOffset? UpdatedMin { get; init; }

    public bool SingleEvents { get; init; }

    public bool ShowDeleted { get; init; }

    public string? OrderBy { get; init; }

    public int MaxResults { get; init; } = 250;

    public string? PageToken { get; init; }

    public string? SyncToken { get; init; }

    public string? ICalUid { get; init; }

    public string? Q { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> PrivateProperties { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> SharedProperties { get; init; } = [];

    public IReadOnlySet<string>? EventTypes { get; init; }

    /// <summary>Everything that shapes the result, pageToken and maxResults excepted.</summary>
    public string CacheKey() => string.Join('|',
        TimeMin?.UtcTicks, TimeMax?.UtcTicks, UpdatedMin?.UtcTicks, SingleEvents, ShowDeleted, OrderBy, SyncToken, ICalUid, Q,
        string.Join(',', PrivateProperties.Select(kv => kv.Key + "=" + kv.Value)),
        string.Join(',', SharedProperties.Select(kv => kv.Key + "=" + kv.Value)),
        EventTypes is null ? "" : string.Join(',', EventTypes.Order(StringComparer.Ordinal)));

    public static ApiResponse? Parse(QueryParams q, bool instances, out ListParams result)
    {
        result = new ListParams();
        if (q["syncToken"] is not null && NotWithSyncToken.FirstOrDefault(q.Has) is { } conflicting)
        {
            // ⚠️ 400 confirmed by community reports; reason/message as they quote it.
            return GoogleError.Invalid("Sync token cannot be used with other request restrictions.", conflicting);
        }

        var timeMin = q["timeMin"];
        var timeMax = q["timeMax"];
        var updatedMin = q["updatedMin"];
        // "Milliseconds may be provided but are ignored" (discovery, timeMin and timeMax).
        var min = Rfc3339.ParseWithOffset(timeMin) is { } lower ? Rfc3339.ToSecond(lower) : (DateTimeOffset?)null;
        var max = Rfc3339.ParseWithOffset(timeMax) is { } upper ? Rfc3339.ToSecond(upper) : (DateTimeOffset?)null;
        var updated = Rfc3339.ParseWithOffset(updatedMin);
        if ((timeMin is not null && min is null) || (timeMax is not null && max is null) || (updatedMin is not null && updated is null))
        {
            return GoogleError.BadRequest();
        }

        if (min is not null && max is not null && max <= min)
        {
            return GoogleError.TimeRangeEmpty();
        }

        var single = q.Bool("singleEvents", out var badSingle) ?? instances;
        var deleted = q.Bool("showDeleted", out var badDeleted) ?? false;
        if (badSingle || badDeleted)
        {
            return GoogleError.BadRequest();
        }

        var orderBy = q["orderBy"];
        if (orderBy is not null && (orderBy is not ("startTime" or "updated") || (orderBy == "startTime" && !single)))
        {
            return GoogleError.OrderingNotAvailable();
        }

        var maxResults = 250;
        if (q["maxResults"] is { } m)
        {
            if (!int.TryParse(m, CultureInfo.InvariantCulture, out maxResults) || maxResults < 1)
            {
                return GoogleError.Invalid($"Invalid value '{m}'. Values must be within the range: [1, 2500]", "maxResults");
            }

            // "The page size can never be larger than 2500 events": larger values are capped, not refused.
            maxResults = Math.Min(maxResults, 2500);
        }

        if (ParseProperties(q.All("privateExtendedProperty"), out var priv) is { } e1)
        {
            return e1;
        }

        if (ParseProperties(q.All("sharedExtendedProperty"), out var shared) is { } e2)
        {
            return e2;
        }

        HashSet<string>? types = null;
        if (q.All("eventTypes") is { Count: > 0 } requested)
        {
            types = [.. requested.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries))];
            if (types.FirstOrDefault(t => !EventTypeValues.Contains(t)) is { } unknown)
            {
                return GoogleError.Invalid($"Invalid value for: {unknown} is not a valid value", "eventTypes");
            }
        }

        result = new ListParams
        {
            TimeMin = min, TimeMax = max, UpdatedMin = updated, SingleEvents = single, ShowDeleted = deleted,
            OrderBy = orderBy, MaxResults = maxResults, PageToken = q["pageToken"], SyncToken = q["syncToken"],
            ICalUid = q["iCalUID"], Q = q["q"], PrivateProperties = priv, SharedProperties = shared, EventTypes = types,
        };
        return null;
    }

    private static ApiResponse? ParseProperties(IReadOnlyList<string> values, out List<KeyValuePair<string, string>> result)
    {
        result = [];
        foreach (var value in values)
        {
            var eq = value.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return GoogleError.BadRequest();
            }

            result.Add(new(value[..eq], value[(eq + 1)..]));
        }

        return null;
    }
}
