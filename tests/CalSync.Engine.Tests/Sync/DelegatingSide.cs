using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;

namespace CalSync.Engine.Tests.Sync;

/// <summary>A calendar side that passes everything to another; fault-injecting sides override what they change.</summary>
internal abstract class DelegatingSide(ICalendarSide inner) : ICalendarSide
{
    protected ICalendarSide Inner => inner;

    public string CalendarId => inner.CalendarId;

    public virtual Task<EventListResult> ListAsync(EventListQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

    public virtual Task<GoogleEvent?> GetAsync(string eventId, CancellationToken cancellationToken) => inner.GetAsync(eventId, cancellationToken);

    public virtual Task<IReadOnlyList<BatchResult>> ExecuteAsync(IReadOnlyList<CalendarOperation> operations, CancellationToken cancellationToken) =>
        inner.ExecuteAsync(operations, cancellationToken);
}
