using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>
/// One calendar as the engine reaches it: the engine's only port to Google. The real one is
/// <see cref="GoogleCalendarSide"/>; tests wrap it to inject faults (a crash after a write, say).
/// </summary>
public interface ICalendarSide
{
    string CalendarId { get; }

    Task<EventListResult> ListAsync(EventListQuery query, CancellationToken cancellationToken);

    /// <summary>The event (cancelled ones included), or null when Google does not know it.</summary>
    Task<GoogleEvent?> GetAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>Writes in batch requests of at most 50 parts; one result per operation, in order.</summary>
    Task<IReadOnlyList<BatchResult>> ExecuteAsync(IReadOnlyList<CalendarOperation> operations, CancellationToken cancellationToken);
}

public sealed class GoogleCalendarSide(GoogleCalendarClient client, string calendarId) : ICalendarSide
{
    public string CalendarId => calendarId;

    public Task<EventListResult> ListAsync(EventListQuery query, CancellationToken cancellationToken) =>
        client.ListEventsAsync(calendarId, query, cancellationToken);

    public Task<GoogleEvent?> GetAsync(string eventId, CancellationToken cancellationToken) =>
        client.GetEventAsync(calendarId, eventId, cancellationToken);

    public Task<IReadOnlyList<BatchResult>> ExecuteAsync(IReadOnlyList<CalendarOperation> operations, CancellationToken cancellationToken) =>
        operations.Count == 0 ? Task.FromResult<IReadOnlyList<BatchResult>>([]) : client.ExecuteBatchAsync(operations, cancellationToken);
}
