using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>Two-way: what of a copy's edit travels back to its origin.</summary>
public static class CopyRenderer
{
    /// <summary>
    /// The origin with the copy's edit merged in. Times always travel back; a field only when the copy shows it as
    /// the origin has it (a placeholder or template title, a dropped description, a forced busy/free never do).
    /// </summary>
    public static GoogleEvent MergeIntoOrigin(GoogleEvent origin, GoogleEvent copy, CopyStyle style)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(copy);
        ArgumentNullException.ThrowIfNull(style);
        var look = style.EffectiveLook;
        return origin with
        {
            Summary = look.Title == TitleRule.Keep ? copy.Summary : origin.Summary,
            Description = look.Description == FieldRule.Keep && look.Attendees == AttendeeRule.None ? copy.Description : origin.Description,
            Location = look.Location == FieldRule.Keep ? copy.Location : origin.Location,
            Start = copy.Start,
            End = copy.End,
            Transparency = CopyRules.KeepsTransparency(origin, style) ? copy.Transparency : origin.Transparency,
            Visibility = look.Visibility == VisibilityRule.Keep ? copy.Visibility : origin.Visibility,
            Status = style.Privacy ? origin.Status : copy.Status is EventStatus.Tentative ? EventStatus.Tentative : EventStatus.Confirmed,
        };
    }
}
