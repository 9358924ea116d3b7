using System.Globalization;
using System.Threading.Channels;
using CalSync.GoogleEmulator.Faults;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Push;

/// <summary>
/// Queues X-Goog-* notifications and delivers them in the background, in order per channel; a write
/// never waits for a webhook. Failed deliveries are logged and dropped.
/// </summary>
internal sealed partial class PushNotifier(EmulatorState state, FaultInjector faults, IHttpClientFactory httpClients,
    ILogger<PushNotifier> logger) : BackgroundService
{
    private readonly Channel<PushMessage> _queue = Channel.CreateUnbounded<PushMessage>(new UnboundedChannelOptions { SingleReader = true });

    private sealed record PushMessage(string Address, string ChannelId, string? Token, DateTimeOffset Expiration,
        long Number, string ResourceId, string ResourceUri, string State);

    /// <summary>Called with the state lock held. A dropped message still uses its number: Google's numbers need not be contiguous.</summary>
    public void Enqueue(WatchChannel channel, string resourceState)
    {
        var number = channel.NextMessageNumber++;
        if (faults.DropPush())
        {
            LogDropped(logger, channel.Id, number);
            return;
        }

        _queue.Writer.TryWrite(new PushMessage(channel.Address, channel.Id, channel.Token, channel.Expiration,
            number, channel.ResourceId, channel.ResourceUri, resourceState));
    }

    /// <summary>Subscribed to <see cref="EmulatorState.CalendarChanged"/>; runs with the state lock held.</summary>
    public void OnCalendarChanged(CalendarState calendar)
    {
        Notify(c => c.Kind == "events" && c.CalendarId == calendar.Id);
    }

    public void OnAclChanged(CalendarState calendar) => Notify(c => c.Kind == "acl" && c.CalendarId == calendar.Id);

    public void OnListChanged(Account account) =>
        Notify(c => c.Kind == "calendarList" && string.Equals(c.OwnerEmail, account.Email, StringComparison.OrdinalIgnoreCase));

    private void Notify(Func<WatchChannel, bool> watches)
    {
        var now = state.Now;
        foreach (var channel in state.Channels.Values.Where(watches).ToList())
        {
            if (channel.Expiration <= now)
            {
                state.Channels.Remove(channel.Id);
                continue;
            }

            Enqueue(channel, "exists");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await DeliverAllAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: undelivered notifications are dropped, as a restarted Google channel would lose them.
        }
    }

    /// <summary>
    /// One reader hands each message to its channel's chain: a channel's notifications stay in order,
    /// while a slow or dead webhook holds up only its own channel.
    /// </summary>
    private async Task DeliverAllAsync(CancellationToken stoppingToken)
    {
        var client = httpClients.CreateClient(nameof(PushNotifier));
        var tails = new Dictionary<string, Task>(StringComparer.Ordinal);
        await foreach (var message in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            await faults.PushReleased().WaitAsync(stoppingToken);
            var previous = tails.GetValueOrDefault(message.ChannelId) ?? Task.CompletedTask;
            tails[message.ChannelId] = DeliverAfterAsync(previous, client, message, stoppingToken);
            if (tails.Count > 1024)
            {
                foreach (var done in tails.Where(t => t.Value.IsCompleted).Select(t => t.Key).ToList())
                {
                    tails.Remove(done);
                }
            }
        }
    }

    private async Task DeliverAfterAsync(Task previous, HttpClient client, PushMessage message, CancellationToken stoppingToken)
    {
        await previous;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, message.Address) { Content = new ByteArrayContent([]) };
            request.Headers.Add("X-Goog-Channel-ID", message.ChannelId);
            if (message.Token is not null)
            {
                request.Headers.Add("X-Goog-Channel-Token", message.Token);
            }

            request.Headers.Add("X-Goog-Channel-Expiration", message.Expiration.ToString("R", CultureInfo.InvariantCulture));
            request.Headers.Add("X-Goog-Message-Number", message.Number.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Goog-Resource-ID", message.ResourceId);
            request.Headers.Add("X-Goog-Resource-State", message.State);
            request.Headers.Add("X-Goog-Resource-URI", message.ResourceUri);
            using var response = await client.SendAsync(request, stoppingToken);
            if (!response.IsSuccessStatusCode)
            {
                LogRejected(logger, message.ChannelId, (int)response.StatusCode);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // Unreachable, timed out or shutting down: dropped, as Google drops undeliverable notifications.
            if (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, message.ChannelId, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Push to channel {ChannelId} (message {Number}) dropped by fault injection")]
    private static partial void LogDropped(ILogger logger, string channelId, long number);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push to channel {ChannelId} answered {Status}; dropped like Google does")]
    private static partial void LogRejected(ILogger logger, string channelId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push to channel {ChannelId} failed: {Error}; dropped")]
    private static partial void LogFailed(ILogger logger, string channelId, string error);
}
