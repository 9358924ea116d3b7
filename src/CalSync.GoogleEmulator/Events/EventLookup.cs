using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Events;

/// <summary>An event addressed by id: a stored event (single, series or exception) or an unmodified instance of a series.</summary>
internal sealed record EventLookup(StoredEvent Current, StoredEvent? Master, Occurrence? Occurrence)
{
    public bool IsVirtualInstance => Master is not null;

    public static EventLookup? Find(CalendarState calendar, string eventId)
    {
        if (calendar.Events.TryGetValue(eventId, out var stored))
        {
            return new EventLookup(stored, null, null);
        }

        // Instance ids are "<seriesId>_<yyyyMMdd['T'HHmmss'Z']>".
        var underscore = eventId.LastIndexOf('_');
        if (underscore <= 0
            || !calendar.Events.TryGetValue(eventId[..underscore], out var master)
            || !master.IsRecurringMaster || master.IsCancelled
            || Recurrence.Find(master, eventId[(underscore + 1)..]) is not { } occurrence)
        {
            return null;
        }

        return new EventLookup(Recurrence.AsStored(master, occurrence), master, occurrence);
    }
}
