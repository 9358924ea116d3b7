using System.Text.Json.Serialization;

namespace CalSync.Engine.Google.Models;

// Response and request envelopes as Google sends and expects them; internal to the client.

internal sealed record EventsPage
{
    public IReadOnlyList<GoogleEvent>? Items { get; init; }
    public string? NextPageToken { get; init; }
    public string? NextSyncToken { get; init; }
}

internal sealed record CalendarListPage
{
    public IReadOnlyList<CalendarListEntry>? Items { get; init; }
    public string? NextPageToken { get; init; }
}

internal sealed record ChannelRequestBody
{
    public required string Id { get; init; }
    public string? Type { get; init; }
    public string? Address { get; init; }
    public string? Token { get; init; }
    public string? ResourceId { get; init; }
    public IReadOnlyDictionary<string, string>? Params { get; init; }
}

internal sealed record ErrorEnvelope
{
    public ErrorBody? Error { get; init; }
}

internal sealed record ErrorBody
{
    public int? Code { get; init; }
    public string? Message { get; init; }
    public string? Status { get; init; }
    public IReadOnlyList<ErrorItem>? Errors { get; init; }
}

internal sealed record ErrorItem
{
    public string? Domain { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public string? LocationType { get; init; }
    public string? Location { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GoogleEvent))]
[JsonSerializable(typeof(EventsPage))]
[JsonSerializable(typeof(CalendarListPage))]
[JsonSerializable(typeof(CalendarListEntry))]
[JsonSerializable(typeof(Channel))]
[JsonSerializable(typeof(ChannelRequestBody))]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
internal sealed partial class GoogleJsonContext : JsonSerializerContext;
