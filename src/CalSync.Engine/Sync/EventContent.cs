using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>
/// The part of an event CalSync synchronises, normalised so that two events that mean the same thing
/// hash the same: empty equals absent, Google's defaults ("opaque", "default", "confirmed") equal
/// absent, and times compare as instants (Google may answer in another offset than was sent).
/// </summary>
public sealed record EventContent(
    string? Summary,
    string? Description,
    string? Location,
    EventDateTime? Start,
    EventDateTime? End,
    string? Transparency,
    string? Visibility,
    string? ColorId,
    string Status,
    string? Response = null,
    bool DefaultReminders = false,
    string? Conference = null,
    string? StatusSettings = null)
{
    public static EventContent Of(GoogleEvent e) => new(
        Blank(e.Summary),
        Blank(e.Description),
        Blank(e.Location),
        e.Start,
        e.End,
        e.Transparency is "opaque" ? null : Blank(e.Transparency),
        e.Visibility is "default" ? null : Blank(e.Visibility),
        Blank(e.ColorId),
        e.Status is EventStatus.Tentative ? EventStatus.Tentative : EventStatus.Confirmed,
        // The person's answer to an invitation decides whether it is copied (a declined one is not).
        CopyRules.ResponseOf(e),
        // Only a copy's reminders are CalSync's to set; an origin's never matter.
        e.Reminders?.UseDefault == true && CopyMarker.Read(e) is not null,
        // How to join, by its entry points' addresses: Google may add labels or icons of its own to a copy's.
        e.ConferenceData?.EntryPoints is { Count: > 0 } points
            ? string.Join(' ', points.Select(p => p.Uri).Order(StringComparer.Ordinal))
            : null,
        SettingsOf(e));

    /// <summary>A stable digest of the content; links keep it per side to tell which side changed.</summary>
    public string Hash()
    {
        var canonical = string.Join('\u001f',
            Summary, Description, Location, Time(Start), Time(End), Transparency, Visibility, ColorId, Status);
        // Appended only when present, so events without them keep the hashes stored before they counted.
        if (Response is not null)
        {
            canonical += "\u001fresponse:" + Response;
        }
        if (DefaultReminders)
        {
            canonical += "\u001freminders:default";
        }
        if (Conference is not null)
        {
            canonical += "\u001fconference:" + Conference;
        }
        if (StatusSettings is not null)
        {
            canonical += "\u001fsettings:" + StatusSettings;
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..32];
    }

    public static string HashOf(GoogleEvent e) => Of(e).Hash();

    /// <summary>
    /// An out-of-office or focus-time event's own settings: whether it declines invitations, with what message, the
    /// chat status. Absent, empty and "declineNone" mean the same (no declining), so Google filling in a default
    /// never looks like an edit.
    /// </summary>
    private static string? SettingsOf(GoogleEvent e)
    {
        var properties = e.EventType switch
        {
            EventTypes.OutOfOffice => e.OutOfOfficeProperties,
            EventTypes.FocusTime => e.FocusTimeProperties,
            _ => null,
        };
        if (properties is not { ValueKind: JsonValueKind.Object } given)
        {
            return null;
        }
        var mode = Member(given, "autoDeclineMode") is var m and not "declineNone" ? m : null;
        var settings = new[] { mode, Member(given, "declineMessage"), Member(given, "chatStatus") };
        return settings.All(s => s is null) ? null : string.Join('\u001e', settings);
    }

    private static string? Member(JsonElement properties, string name) =>
        properties.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? Blank(value.GetString()) : null;

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Time(EventDateTime? time) => time switch
    {
        { Date: { } date } => "d" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        { DateTime: { } dateTime } => "t" + dateTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) + "|" + time.TimeZone,
        _ => "",
    };
}
