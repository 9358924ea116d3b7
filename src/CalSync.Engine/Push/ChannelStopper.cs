using CalSync.Engine.Auth;
using CalSync.Engine.Google;
using Microsoft.Extensions.Logging;

namespace CalSync.Engine.Push;

/// <summary>
/// Stops channels at Google with the credentials of the account that created them (Google accepts nothing
/// else), and marks them stopped. The reconciler stops channels nobody reads; removing an account stops all of
/// its channels first, because once its credentials are gone its channels can no longer be stopped.
/// </summary>
public sealed partial class ChannelStopper(WatchChannelStore store, GoogleCalendarClientFactory google, TimeProvider time, ILogger<ChannelStopper> logger)
{
    /// <summary>Stops a channel at Google (when Google knows it) and marks it stopped; false when Google could not be asked.</summary>
    public async Task<bool> StopAsync(WatchChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        // An expired channel is gone at Google already; one whose watch never answered has no resource id to stop.
        if (channel.ResourceId is { } resourceId && !(channel.ExpiresAt <= time.GetUtcNow()))
        {
            try
            {
                await google.ForAccount(channel.AccountId).StopChannelAsync(channel.Id, resourceId, cancellationToken);
            }
            catch (Exception ex) when (ex is GoogleException { IsRetryable: true })
            {
                LogStopFailed(channel.Id, ex.Message);
                return false; // Next round tries again.
            }
            catch (Exception ex) when (ex is GoogleException or GoogleOAuthException or ReauthRequiredException)
            {
                // The account cannot call Google any more: the channel ends at its expiry, and its notifications are ignored.
                LogStopFailed(channel.Id, ex.Message);
            }
        }
        await store.MarkStoppedAsync(channel.Id, cancellationToken);
        LogStopped(channel.AccountId, channel.CalendarId, channel.Id);
        return true;
    }

    /// <summary>
    /// Before an account is removed: stops every channel of it Google may still notify. One that cannot be stopped
    /// now (Google unreachable) lapses at its expiry; its notifications then come from a channel CalSync no longer knows.
    /// </summary>
    public async Task StopAllOfAccountAsync(Guid accountId, CancellationToken cancellationToken)
    {
        foreach (var channel in await store.ListOpenOfAccountAsync(accountId, cancellationToken))
        {
            await StopAsync(channel, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped channel {ChannelId} of calendar {CalendarId} of account {AccountId}")]
    private partial void LogStopped(Guid accountId, string calendarId, string channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not stop channel {ChannelId}: {Error}")]
    private partial void LogStopFailed(string channelId, string error);
}
