using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

public enum EventTypeTreatment
{
    /// <summary>Copied as a default event with its content.</summary>
    Copy,
    /// <summary>Copied as a busy default event with its summary (out of office, focus time).</summary>
    CopyAsBusy,
    /// <summary>Not copied (working location, birthdays): they describe the person, not their time.</summary>
    Skip,
}

/// <summary>How each Google event type is treated (design.md, "Event types").</summary>
public static class EventTypePolicy
{
    public static EventTypeTreatment Classify(GoogleEvent e) => e.EventType switch
    {
        null or EventTypes.Default or EventTypes.FromGmail => EventTypeTreatment.Copy,
        EventTypes.OutOfOffice or EventTypes.FocusTime => EventTypeTreatment.CopyAsBusy,
        _ => EventTypeTreatment.Skip,
    };
}
