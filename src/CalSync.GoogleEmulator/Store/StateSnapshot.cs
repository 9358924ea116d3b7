using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CalSync.GoogleEmulator.Push;

namespace CalSync.GoogleEmulator.Store;

/// <summary>
/// Everything in <see cref="EmulatorState"/> that a client could still hold a handle to after a restart:
/// accounts and calendar lists, calendars with their events and sharing, the change sequences that sync
/// tokens encode, issued tokens and watch channels. Caches are left out; they rebuild on demand.
/// </summary>
internal sealed record StateSnapshot(
    int Version,
    long LastEtag,
    List<AccountSnapshot> Accounts,
    List<CalendarSnapshot> Calendars,
    List<AccessToken> AccessTokens,
    List<RefreshToken> RefreshTokens,
    List<AuthorizationCode> AuthorizationCodes,
    List<WatchChannel> Channels)
{
    public const int CurrentVersion = 1;

    /// <summary>Caller holds the state lock.</summary>
    public static StateSnapshot Capture(EmulatorState state) => new(
        CurrentVersion,
        state.LastEtag,
        [.. state.Accounts.Values.Select(a => new AccountSnapshot(a.Email, a.Name, new(a.CalendarList), a.CalendarListSeq,
            a.ListOverrides.ToDictionary(o => o.Key, o => (JsonObject)o.Value.DeepClone()), new(a.RemovedFromList)))],
        [.. state.Calendars.Values.Select(c => new CalendarSnapshot(c.Id, c.OwnerEmail, c.IsPrimary, c.Summary, c.Description, c.TimeZone,
            c.ColorId, c.Etag, c.Updated, new(c.Acl), c.Seq, c.TokenEpoch, c.NextOrdinal,
            [.. c.Events.Values.Select(e => new EventSnapshot(e.Resource, e.ChangeSeq, e.Ordinal, e.Start, e.End, e.Updated))]))],
        [.. state.AccessTokens.Values],
        [.. state.RefreshTokens.Values],
        [.. state.AuthorizationCodes.Values],
        [.. state.Channels.Values]);

    /// <summary>Replaces the state's contents; caller holds the lock. Throws <see cref="InvalidDataException"/> for a snapshot that does not hang together.</summary>
    public void RestoreInto(EmulatorState state)
    {
        if (Version != CurrentVersion)
        {
            throw new InvalidDataException($"state version {Version} is not {CurrentVersion}");
        }

        state.Reset();
        state.LastEtag = Math.Max(state.LastEtag, LastEtag);
        foreach (var a in Required(Accounts, "accounts"))
        {
            var account = state.AddAccount(Required(a.Email, "account email"), a.Name ?? a.Email);
            Copy(a.CalendarList, account.CalendarList);
            Copy(a.RemovedFromList, account.RemovedFromList);
            Copy(a.ListOverrides, account.ListOverrides);
            account.CalendarListSeq = a.CalendarListSeq;
        }

        foreach (var c in Required(Calendars, "calendars"))
        {
            var calendar = new CalendarState(Required(c.Id, "calendar id"), Required(c.OwnerEmail, "calendar owner"), c.IsPrimary)
            {
                Summary = c.Summary ?? "", Description = c.Description, TimeZone = c.TimeZone ?? "UTC", ColorId = c.ColorId ?? "14",
                Etag = Required(c.Etag, "calendar etag"), Updated = c.Updated,
                Seq = c.Seq, TokenEpoch = c.TokenEpoch, NextOrdinal = c.NextOrdinal,
            };
            Copy(c.Acl, calendar.Acl);
            foreach (var e in Required(c.Events, "events"))
            {
                var stored = new StoredEvent(Required(e.Resource, "event"), e.ChangeSeq, e.Ordinal, e.Start, e.End, e.Updated);
                calendar.Events[stored.Id] = stored;
            }

            state.Calendars[calendar.Id] = calendar;
        }

        foreach (var t in Required(AccessTokens, "access tokens"))
        {
            state.AccessTokens[t.Token] = t;
        }

        foreach (var t in Required(RefreshTokens, "refresh tokens"))
        {
            state.RefreshTokens[t.Token] = t;
        }

        foreach (var c in Required(AuthorizationCodes, "authorization codes"))
        {
            state.AuthorizationCodes[c.Code] = c;
        }

        foreach (var c in Required(Channels, "channels"))
        {
            state.Channels[c.Id] = c;
        }
    }

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, StateSnapshotJson.Default.StateSnapshot);

    /// <summary>Throws <see cref="JsonException"/> for text that is no snapshot.</summary>
    public static StateSnapshot FromUtf8(byte[] utf8) =>
        JsonSerializer.Deserialize(utf8, StateSnapshotJson.Default.StateSnapshot) ?? throw new InvalidDataException("the file holds null");

    // JSON null where a list or id belongs: the file was edited or cut short, not written by us.
    private static T Required<T>(T? value, string what) where T : class =>
        value ?? throw new InvalidDataException($"{what} missing");

    private static void Copy<TValue>(Dictionary<string, TValue>? from, Dictionary<string, TValue> to)
    {
        foreach (var (key, value) in from ?? [])
        {
            to[key] = value;
        }
    }
}

internal sealed record AccountSnapshot(string Email, string? Name, Dictionary<string, long>? CalendarList, long CalendarListSeq,
    Dictionary<string, JsonObject>? ListOverrides, Dictionary<string, long>? RemovedFromList);

internal sealed record CalendarSnapshot(string Id, string OwnerEmail, bool IsPrimary, string? Summary, string? Description, string? TimeZone,
    string? ColorId, string Etag, DateTimeOffset Updated, Dictionary<string, string>? Acl, long Seq, long TokenEpoch, long NextOrdinal,
    List<EventSnapshot> Events);

/// <summary>An event version as stored: start and end stay as parsed then, since an all-day date depends on the calendar's zone at that time.</summary>
internal sealed record EventSnapshot(JsonObject Resource, long ChangeSeq, long Ordinal, EventTime Start, EventTime End, DateTimeOffset Updated);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = false)]
[JsonSerializable(typeof(StateSnapshot))]
internal sealed partial class StateSnapshotJson : JsonSerializerContext;
