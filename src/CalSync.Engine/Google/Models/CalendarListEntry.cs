namespace CalSync.Engine.Google.Models;

/// <summary>A calendar in the user's calendar list (the fields CalSync shows and checks).</summary>
public sealed record CalendarListEntry
{
    public required string Id { get; init; }
    public string? Etag { get; init; }
    public string? Summary { get; init; }
    public string? SummaryOverride { get; init; }
    public string? Description { get; init; }
    public string? TimeZone { get; init; }

    /// <summary><c>freeBusyReader</c>, <c>reader</c>, <c>writer</c> or <c>owner</c>.</summary>
    public string? AccessRole { get; init; }

    public bool? Primary { get; init; }
    public bool? Hidden { get; init; }
    public bool? Selected { get; init; }
    public bool? Deleted { get; init; }
    public string? BackgroundColor { get; init; }
    public string? ColorId { get; init; }

    /// <summary>Whether events can be written to this calendar.</summary>
    public bool CanWrite => AccessRole is "writer" or "owner";
}
