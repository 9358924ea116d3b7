using System.Text.Json.Serialization;

namespace CalSync.Engine.Google.Models;

/// <summary>A push-notification channel (<c>api#channel</c>) as returned by a watch call.</summary>
public sealed record Channel
{
    public required string Id { get; init; }
    public string? ResourceId { get; init; }
    public string? ResourceUri { get; init; }

    /// <summary>The channel token that Google echoes in <c>X-Goog-Channel-Token</c>; verifies webhooks.</summary>
    public string? Token { get; init; }

    /// <summary>Milliseconds since the Unix epoch; Google sends the int64 as a JSON string.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public long? Expiration { get; init; }

    [JsonIgnore]
    public DateTimeOffset? ExpiresAt => Expiration is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    // The channel token authenticates webhooks: keep it out of logs.
    public override string ToString() => $"Channel {{ Id = {Id}, ResourceId = {ResourceId}, Expiration = {Expiration} }}";
}

/// <summary>What to watch and where to deliver notifications.</summary>
public sealed record WatchRequest
{
    /// <summary>Channel id, unique per project, at most 64 characters.</summary>
    public required string Id { get; init; }

    /// <summary>The HTTPS webhook address.</summary>
    public required Uri Address { get; init; }

    /// <summary>Echoed in <c>X-Goog-Channel-Token</c>; lets the webhook reject forged calls.</summary>
    public string? Token { get; init; }

    /// <summary>Requested lifetime; Google's default is 7 days.</summary>
    public TimeSpan? TimeToLive { get; init; }

    public override string ToString() => $"WatchRequest {{ Id = {Id}, Address = {Address} }}";
}
