namespace CalSync.GoogleEmulator.Store;

/// <summary>
/// One calendar and its events. Every change takes the next value of <see cref="Seq"/>, which is what
/// sync tokens encode; <see cref="TokenEpoch"/> invalidates all tokens issued before an expiry.
/// </summary>
internal sealed class CalendarState(string id, string ownerEmail, bool isPrimary)
{
    public string Id { get; } = id;

    public string OwnerEmail { get; } = ownerEmail;

    public bool IsPrimary { get; } = isPrimary;

    public required string Summary { get; set; }

    public string? Description { get; set; }

    public required string TimeZone { get; set; }

    public required string ColorId { get; init; }

    public required string Etag { get; set; }

    public DateTimeOffset Updated { get; set; }

    /// <summary>Other accounts' access: email → reader | writer | owner | freeBusyReader.</summary>
    public Dictionary<string, string> Acl { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, StoredEvent> Events { get; } = new(StringComparer.Ordinal);

    public long Seq { get; set; }

    public long TokenEpoch { get; set; } = 1;

    public long NextOrdinal { get; set; }

    /// <summary>The last events.list result (key: parameters without pageToken, change sequence, epoch); see EventQuery.</summary>
    public (string Key, List<StoredEvent> Items)? ListCache { get; set; }

    public string? AccessRole(string email) =>
        string.Equals(email, OwnerEmail, StringComparison.OrdinalIgnoreCase) ? "owner"
        : Acl.TryGetValue(email, out var role) ? role : null;

    public static bool CanWrite(string? role) => role is "owner" or "writer";

    public static bool CanRead(string? role) => role is "owner" or "writer" or "reader";
}
