using CalSync.Engine.Google.Transport;

namespace CalSync.Engine.Google;

/// <summary>Creates a <see cref="GoogleCalendarClient"/> per Google account; clients are cheap and share the transport.</summary>
public sealed class GoogleCalendarClientFactory(GoogleTransport transport)
{
    public GoogleCalendarClient Create(IGoogleCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return new GoogleCalendarClient(transport, credential);
    }
}
