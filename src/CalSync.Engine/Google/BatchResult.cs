using System.Net;
using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Google;

/// <summary>
/// The outcome of one batch part, in the order of the operations passed in. A failed part carries its
/// error (not thrown); a delete succeeds without an event.
/// </summary>
public sealed record BatchResult(CalendarOperation Operation, HttpStatusCode Status, GoogleEvent? Event, GoogleApiException? Error)
{
    public bool Succeeded => Error is null;
}
