using System.Text.RegularExpressions;

namespace CalSync.Api.Dashboard;

/// <summary>One side's calendar picker: every account's calendars with their colour and access; targets must be writable.</summary>
public sealed partial record CalendarPicker(
    string Side, string Legend, string? Hint, IReadOnlyList<AccountChoices> Choices, string? Selected, bool NeedsWrite, IReadOnlyList<string> Errors)
{
    /// <summary>Google's colour when it is a plain #rrggbb, for the swatch; anything else draws none.</summary>
    public static string? Colour(string? backgroundColor) => backgroundColor is not null && HexColour().IsMatch(backgroundColor) ? backgroundColor : null;

    public static string Access(string role) => role switch
    {
        "owner" => "owner",
        "writer" => "can edit",
        "reader" => "read-only",
        "freeBusyReader" => "free/busy only",
        _ => role,
    };

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex HexColour();
}
