using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>
/// What a two-way sync may do to an origin on its owner's behalf. An invitation belongs to its organizer:
/// a guest may not change it (Google answers 403 <c>forbiddenForNonOrganizer</c>) unless the organizer lets
/// guests modify it, and deleting it would take the person off someone else's meeting. Out-of-office,
/// focus-time and from-Gmail events are mostly copied as plain busy events, so an edit to such a copy has no
/// faithful way back; a copy of their own type is kept read-only too, so that what an edit does never depends
/// on the rule. Copies of origins CalSync may not change are kept read-only: edits are reverted and a
/// deleted copy comes back.
/// </summary>
public sealed record OriginAccess(bool CanPatch, bool CanDelete, string? Why)
{
    private static readonly OriginAccess Full = new(true, true, null);

    public static OriginAccess Of(GoogleEvent origin)
    {
        switch (origin.EventType)
        {
            case EventTypes.OutOfOffice:
                return ReadOnly("its origin is an out-of-office event");
            case EventTypes.FocusTime:
                return ReadOnly("its origin is a focus-time event");
            case EventTypes.FromGmail:
                return ReadOnly("its origin was added from Gmail");
        }
        if (origin.Organizer is { Self: not true } organizer)
        {
            var who = string.IsNullOrWhiteSpace(organizer.Email) ? "someone else" : organizer.Email;
            return origin.GuestsCanModify == true
                // Guests may edit such an event, but deleting it only takes the person off it: never that.
                ? new OriginAccess(true, false, $"its origin is an invitation organised by {who}")
                : ReadOnly($"its origin is an invitation organised by {who}");
        }
        return Full;
    }

    private static OriginAccess ReadOnly(string why) => new(false, false, why);
}
