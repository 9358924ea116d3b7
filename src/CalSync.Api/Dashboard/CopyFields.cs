namespace CalSync.Api.Dashboard;

/// <summary>One direction's copy settings for the form's partial: <see cref="Prefix"/> is toTarget or toSource.</summary>
public sealed record CopyFields(
    string Prefix, string Legend, bool Privacy, string Placeholder, string? Color,
    IReadOnlyList<string> PlaceholderErrors, IReadOnlyList<string> ColorErrors, IReadOnlyList<string> OtherErrors, CopyRuleFields Rules);
