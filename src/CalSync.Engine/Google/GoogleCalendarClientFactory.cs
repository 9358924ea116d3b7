using CalSync.Engine.Auth;
using CalSync.Engine.Google.Transport;

namespace CalSync.Engine.Google;

/// <summary>Creates a <see cref="GoogleCalendarClient"/> per Google account; clients are cheap and share the transport.</summary>
public sealed class GoogleCalendarClientFactory(GoogleTransport transport, GoogleAccountCredentials credentials)
{
    /// <summary>A client for a connected account (<c>google_accounts.id</c>): tokens from the vault, refreshed as needed.</summary>
    public GoogleCalendarClient ForAccount(Guid accountId) => Create(credentials.For(accountId));


    public GoogleCalendarClient Create(IGoogleCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return new GoogleCalendarClient(transport, credential);
    }
}
