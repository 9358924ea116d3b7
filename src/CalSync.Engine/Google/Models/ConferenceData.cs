using System.Text.Json;

namespace CalSync.Engine.Google.Models;

/// <summary>
/// An event's conference (Calendar v3 <c>conferenceData</c>): how to join it. Google returns it on every read but
/// stores one sent on a write only with <c>conferenceDataVersion=1</c>. A <c>createRequest</c> asks Google for a new
/// conference; CalSync never sends one (a copy carries its origin's entry points, never a conference of its own).
/// </summary>
public sealed record ConferenceData
{
    public string? ConferenceId { get; init; }

    public ConferenceSolution? ConferenceSolution { get; init; }

    public IReadOnlyList<EntryPoint>? EntryPoints { get; init; }

    /// <summary>Shown to the user; up to 2048 characters.</summary>
    public string? Notes { get; init; }

    /// <summary>Add-on parameters, kept as Google sent them.</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>Read only: a pending or finished <c>createRequest</c>, never written back.</summary>
    public JsonElement? CreateRequest { get; init; }

    public string? Signature { get; init; }
}

/// <summary>Which conferencing product: <c>key.type</c> is <c>hangoutsMeet</c>, <c>addOn</c>, or a deprecated Hangouts type.</summary>
public sealed record ConferenceSolution
{
    public ConferenceSolutionKey? Key { get; init; }
    public string? Name { get; init; }
    public string? IconUri { get; init; }
}

public sealed record ConferenceSolutionKey
{
    public string? Type { get; init; }
}

/// <summary>One way into the conference.</summary>
public sealed record EntryPoint
{
    /// <summary><c>video</c>, <c>phone</c>, <c>sip</c> or <c>more</c>.</summary>
    public string? EntryPointType { get; init; }

    public string? Uri { get; init; }
    public string? Label { get; init; }
    public string? Pin { get; init; }
    public string? AccessCode { get; init; }
    public string? MeetingCode { get; init; }
    public string? Passcode { get; init; }
    public string? Password { get; init; }
    public string? RegionCode { get; init; }
    public IReadOnlyList<string>? EntryPointFeatures { get; init; }
}
