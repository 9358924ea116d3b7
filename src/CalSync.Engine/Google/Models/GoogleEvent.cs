using System.Text.Json;
using System.Text.Json.Serialization;

namespace CalSync.Engine.Google.Models;

/// <summary>
/// The fields of a Calendar v3 <c>Event</c> that CalSync reads or writes. Fields it does not model
/// (attachments, say) are absent on purpose: events CalSync does not own are changed with
/// <see cref="GoogleCalendarClient.PatchEventAsync"/> so those fields (conference data too) stay untouched.
/// </summary>
public sealed record GoogleEvent
{
    public string? Id { get; init; }
    public string? Etag { get; init; }

    /// <summary><c>confirmed</c>, <c>tentative</c> or <c>cancelled</c> (deleted, or a cancelled instance).</summary>
    public string? Status { get; init; }

    public string? Summary { get; init; }
    public string? Description { get; init; }
    public string? Location { get; init; }
    public EventDateTime? Start { get; init; }
    public EventDateTime? End { get; init; }

    /// <summary><c>opaque</c> (busy) or <c>transparent</c> (free).</summary>
    public string? Transparency { get; init; }

    /// <summary><c>default</c>, <c>public</c>, <c>private</c> or <c>confidential</c>.</summary>
    public string? Visibility { get; init; }

    public string? ColorId { get; init; }

    /// <summary><c>default</c>, <c>birthday</c>, <c>focusTime</c>, <c>fromGmail</c>, <c>outOfOffice</c> or <c>workingLocation</c>.</summary>
    public string? EventType { get; init; }

    public string? RecurringEventId { get; init; }
    public EventDateTime? OriginalStartTime { get; init; }
    public IReadOnlyList<string>? Recurrence { get; init; }
    public EventExtendedProperties? ExtendedProperties { get; init; }
    public DateTimeOffset? Updated { get; init; }

    [JsonPropertyName("iCalUID")]
    public string? ICalUid { get; init; }

    public EventReminders? Reminders { get; init; }

    /// <summary>Who organises the event; <c>self</c> is true on the organizer's own calendar.</summary>
    public EventPerson? Organizer { get; init; }

    /// <summary>The guests; CalSync reads them to know what the calendar's owner may change, and never writes them.</summary>
    public IReadOnlyList<EventAttendee>? Attendees { get; init; }

    /// <summary>How to join the event's conference; a copy carries its origin's entry points when its look keeps them.</summary>
    public ConferenceData? ConferenceData { get; init; }

    /// <summary>Read only: the Meet link of a Google Meet conference.</summary>
    public string? HangoutLink { get; init; }

    /// <summary>Whether guests may change the event (Google's default is false).</summary>
    public bool? GuestsCanModify { get; init; }

    // Type-specific properties are kept opaque: enough to recognise and skip or convert such events,
    // never sent back on a default event (Google answers 400 to that).
    public JsonElement? OutOfOfficeProperties { get; init; }
    public JsonElement? FocusTimeProperties { get; init; }
    public JsonElement? WorkingLocationProperties { get; init; }
    public JsonElement? BirthdayProperties { get; init; }

    [JsonIgnore]
    public bool IsCancelled => Status == EventStatus.Cancelled;
}

/// <summary>An event's organizer or creator.</summary>
public sealed record EventPerson
{
    public string? Email { get; init; }
    public string? DisplayName { get; init; }
    public bool? Self { get; init; }
}

/// <summary>A guest of an event, as Google lists it.</summary>
public sealed record EventAttendee
{
    public string? Email { get; init; }
    public string? DisplayName { get; init; }

    /// <summary><c>needsAction</c>, <c>declined</c>, <c>tentative</c> or <c>accepted</c>.</summary>
    public string? ResponseStatus { get; init; }

    /// <summary>This attendee is the calendar the event was read from.</summary>
    public bool? Self { get; init; }

    public bool? Organizer { get; init; }
}

/// <summary>Values of <see cref="GoogleEvent.Status"/>.</summary>
public static class EventStatus
{
    public const string Confirmed = "confirmed";
    public const string Tentative = "tentative";
    public const string Cancelled = "cancelled";
}

/// <summary>Values of <see cref="GoogleEvent.EventType"/>.</summary>
public static class EventTypes
{
    public const string Default = "default";
    public const string Birthday = "birthday";
    public const string FocusTime = "focusTime";
    public const string FromGmail = "fromGmail";
    public const string OutOfOffice = "outOfOffice";
    public const string WorkingLocation = "workingLocation";
}
