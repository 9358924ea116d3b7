using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>
/// What a copy of an origin should look like: its content (or a placeholder in privacy mode), the
/// direction's colour, reminders off, always a default event (Google rejects type-specific properties on
/// one), and the marker naming sync and origin.
/// </summary>
public static class CopyRenderer
{
    public static GoogleEvent Render(GoogleEvent origin, CopyStyle style, Guid syncId, string copyId)
    {
        var busy = EventTypePolicy.Classify(origin) == EventTypeTreatment.CopyAsBusy;
        return new GoogleEvent
        {
            Id = copyId,
            Status = origin.Status is EventStatus.Tentative ? EventStatus.Tentative : EventStatus.Confirmed,
            Summary = style.Privacy ? style.Placeholder : origin.Summary,
            Description = style.Privacy ? null : origin.Description,
            Location = style.Privacy ? null : origin.Location,
            Start = origin.Start,
            End = origin.End,
            Transparency = busy ? "opaque" : origin.Transparency,
            Visibility = style.Privacy ? "private" : origin.Visibility,
            // A private copy shows nothing of its origin, its colour included, unless the sync sets one.
            ColorId = style.ColorId ?? (style.Privacy ? null : origin.ColorId),
            Reminders = EventReminders.None,
            ExtendedProperties = new CopyMarker(syncId, origin.Id!).ToProperties(),
        };
    }

    /// <summary>
    /// The change to an origin that carries a copy's edit back (two-way). With privacy on, the copy's
    /// text is a placeholder, so only its times and busy/free travel back.
    /// </summary>
    public static GoogleEvent MergeIntoOrigin(GoogleEvent origin, GoogleEvent copy, CopyStyle style) =>
        style.Privacy
            ? origin with { Start = copy.Start, End = copy.End, Transparency = copy.Transparency }
            : origin with
            {
                Summary = copy.Summary,
                Description = copy.Description,
                Location = copy.Location,
                Start = copy.Start,
                End = copy.End,
                Transparency = copy.Transparency,
                Visibility = copy.Visibility,
                Status = copy.Status is EventStatus.Tentative ? EventStatus.Tentative : EventStatus.Confirmed,
            };
}
