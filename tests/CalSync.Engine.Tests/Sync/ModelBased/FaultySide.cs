using System.Net;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;

namespace CalSync.Engine.Tests.Sync.ModelBased;

/// <summary>A calendar side that misbehaves once, at the moment the engine writes, as the fault says.</summary>
internal sealed class FaultySide(ICalendarSide inner, GoogleCalendarClient owner, Fault fault) : DelegatingSide(inner)
{
    private bool _fired;

    /// <summary>Events edited behind the engine's back by a <see cref="Fault.Race"/>.</summary>
    public List<string> Raced { get; } = [];

    public override async Task<IReadOnlyList<BatchResult>> ExecuteAsync(IReadOnlyList<CalendarOperation> operations, CancellationToken cancellationToken)
    {
        if (_fired || operations.Count == 0)
        {
            return await Inner.ExecuteAsync(operations, cancellationToken);
        }
        _fired = true;
        switch (fault)
        {
            case Fault.CrashAfterWrites:
                await Inner.ExecuteAsync(operations, cancellationToken);
                throw new SimulatedCrashException();
            case Fault.RateLimited:
                // Half the writes get through, then Google keeps saying 429 past the retry budget.
                await Inner.ExecuteAsync([.. operations.Take(operations.Count / 2)], cancellationToken);
                throw new GoogleApiException("calendar.events.insert", HttpStatusCode.TooManyRequests, GoogleErrorReasons.RateLimitExceeded, "Rate Limit Exceeded", TimeSpan.FromSeconds(1));
            case Fault.Race:
                foreach (var operation in operations.Where(o => o.IfMatch is not null).Take(1))
                {
                    var eventId = Uri.UnescapeDataString(operation.RelativeUri.Split('?')[0].Split('/')[^1]);
                    var current = await owner.GetEventAsync(CalendarId, eventId, cancellationToken);
                    if (current is { IsCancelled: false })
                    {
                        await owner.PatchEventAsync(CalendarId, eventId, new EventPatch { Changes = new GoogleEvent { Summary = "raced " + current.Summary } }, null, cancellationToken);
                        Raced.Add(eventId);
                    }
                }
                return await Inner.ExecuteAsync(operations, cancellationToken);
            default:
                return await Inner.ExecuteAsync(operations, cancellationToken);
        }
    }
}
