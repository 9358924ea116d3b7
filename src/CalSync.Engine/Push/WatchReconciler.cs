using CalSync.Engine.Auth;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CalSync.Engine.Push;

/// <summary>What one reconciliation round did.</summary>
public sealed record WatchRound(int Created, int Renewed, int Stopped, int Failed);

/// <summary>
/// Makes the channels at Google follow the syncs: one channel per calendar an active sync reads, replaced
/// before it expires, stopped once nobody reads the calendar (sync paused or deleted, account removed or
/// needing sign-in again). Convergent and idempotent: a round interrupted anywhere is finished by the next.
/// One caller at a time (the worker runs it as a non-concurrent clustered job).
/// </summary>
public sealed partial class WatchReconciler(
    WatchChannelStore store,
    GoogleCalendarClientFactory google,
    ChannelStopper stopper,
    IOptions<PushOptions> options,
    TimeProvider time,
    ILogger<WatchReconciler> logger)
{
    /// <summary>A pending channel older than this was left by a process that died during events.watch.</summary>
    private static readonly TimeSpan PendingLimit = TimeSpan.FromMinutes(2);

    /// <summary>Stopped channels are kept this long past their expiry, so late notifications are still recognised.</summary>
    private static readonly TimeSpan PruneAfter = TimeSpan.FromDays(1);

    public async Task<WatchRound> ReconcileAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var address = settings.WebhookAddress;
        var now = time.GetUtcNow();
        await store.PruneAsync(now - PruneAfter, cancellationToken);
        var open = await store.ListOpenAsync(cancellationToken);
        // Without a public address push is off: every channel goes.
        var wanted = address is null ? [] : (await store.ListWantedAsync(cancellationToken)).ToHashSet();
        var stopped = 0;
        foreach (var channel in open)
        {
            if (ShouldStop(channel, open, wanted, now))
            {
                stopped += await stopper.StopAsync(channel, cancellationToken) ? 1 : 0;
            }
        }

        if (address is null)
        {
            return new WatchRound(0, 0, stopped, 0);
        }

        var backingOff = (await store.ListBackingOffAsync(cancellationToken)).ToHashSet();
        var inUse = open.Where(c => c.Status is ChannelStatus.Pending or ChannelStatus.Active && (c.ExpiresAt is null || c.ExpiresAt > now))
            .ToDictionary(c => c.Calendar);
        int created = 0, renewed = 0, failed = 0, budget = settings.MaxWatchesPerRound;
        foreach (var calendar in wanted.Where(c => !backingOff.Contains(c)))
        {
            var current = inUse.GetValueOrDefault(calendar);
            if (current is { Status: ChannelStatus.Pending } || current is { RenewAt: var renewAt } && renewAt > now)
            {
                continue;
            }
            if (budget-- <= 0)
            {
                break; // The rest next round: no burst of watch calls.
            }
            if (current is not null)
            {
                await store.RetireAsync(current.Id, cancellationToken);
            }
            if (!await WatchAsync(calendar, address, settings, cancellationToken))
            {
                failed++;
                continue;
            }
            if (current is null)
            {
                created++;
                continue;
            }
            // The successor is live: only now does the old channel go, so no change falls between them.
            await stopper.StopAsync(current, cancellationToken);
            renewed++;
        }
        return new WatchRound(created, renewed, stopped, failed);
    }

    private static bool ShouldStop(WatchChannel channel, IReadOnlyList<WatchChannel> open, HashSet<WatchedCalendar> wanted, DateTimeOffset now) =>
        channel.Status switch
        {
            ChannelStatus.Stopped => true, // Asked to stop again: notifications still arrive for it.
            ChannelStatus.Pending => channel.CreatedAt < now - PendingLimit,
            _ when channel.ExpiresAt <= now => true,
            _ when !wanted.Contains(channel.Calendar) => true,
            ChannelStatus.Retiring => open.Any(c => c.Status == ChannelStatus.Active && c.Calendar == channel.Calendar),
            _ => false,
        };

    private async Task<bool> WatchAsync(WatchedCalendar calendar, Uri address, PushOptions settings, CancellationToken cancellationToken)
    {
        var channelId = ChannelTokens.NewChannelId();
        var token = ChannelTokens.NewToken();
        if (!await store.TryAddPendingAsync(channelId, calendar, ChannelTokens.Hash(token), cancellationToken))
        {
            return true; // Someone else is watching it already.
        }
        try
        {
            var channel = await google.ForAccount(calendar.AccountId).WatchEventsAsync(calendar.CalendarId,
                new WatchRequest { Id = channelId, Address = address, Token = token, TimeToLive = settings.ChannelTtl }, cancellationToken);
            await store.ActivateAsync(channelId, channel.ResourceId, channel.ExpiresAt, RenewAt(channel, settings), cancellationToken);
            LogWatching(calendar.AccountId, calendar.CalendarId, channelId, channel.ExpiresAt);
            return true;
        }
        catch (Exception ex) when (ex is GoogleException or GoogleOAuthException or ReauthRequiredException)
        {
            await store.MarkStoppedAsync(channelId, cancellationToken);
            await store.RecordFailureAsync(calendar, ex.Message, time.GetUtcNow() + settings.FailureRetry, cancellationToken);
            LogWatchFailed(calendar.AccountId, calendar.CalendarId, ex.Message);
            return false;
        }
    }

    /// <summary>
    /// Before expiry by at least <see cref="PushOptions.RenewBefore"/>, at a moment drawn from the spread; never in
    /// the first half of a short channel's life, so short-lived channels are not renewed in a loop.
    /// </summary>
    private DateTimeOffset? RenewAt(Channel channel, PushOptions settings)
    {
        if (channel.ExpiresAt is not { } expires)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var drawn = expires - settings.RenewBefore - settings.RenewSpread * Random.Shared.NextDouble();
        var earliest = now + (expires - now) / 2;
        return drawn > earliest ? drawn : earliest;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching calendar {CalendarId} of account {AccountId} through channel {ChannelId} until {Expires}")]
    private partial void LogWatching(Guid accountId, string calendarId, string channelId, DateTimeOffset? expires);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not watch calendar {CalendarId} of account {AccountId}: {Error}; its syncs run on their schedules")]
    private partial void LogWatchFailed(Guid accountId, string calendarId, string error);

}
