using System.Diagnostics;
using CalSync.Api.Runs;
using CalSync.Engine.Hosting;
using CalSync.Engine.Push;
using CalSync.Engine.Runs;
using CalSync.Engine.Sync;
using Microsoft.Extensions.Options;

namespace CalSync.Api.Webhooks;

/// <summary>
/// Folds a burst of notifications for one sync into one <c>push</c> run: the first starts a short wait
/// (<see cref="PushOptions.Debounce"/>), the others within it join, then the run is queued, where the run
/// queue's coalescing joins it to a run already waiting. The wait lives in this process's memory: a
/// notification lost with a restarting Api is caught up by the sync's next run (its sync tokens miss nothing).
/// </summary>
public sealed partial class PushDebouncer(
    IServiceScopeFactory scopes,
    IOptions<PushOptions> options,
    PushMetrics metrics,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<PushDebouncer> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, HashSet<Side>> _waiting = [];

    /// <summary>A change of the calendar the sync reads as <paramref name="side"/>: its run lists the sides notified during the wait.</summary>
    public void Notify(Guid syncId, Side side, DateTimeOffset receivedAt)
    {
        lock (_gate)
        {
            if (_waiting.TryGetValue(syncId, out var sides))
            {
                sides.Add(side);
                metrics.Coalesced();
                return;
            }
            _waiting[syncId] = [side];
        }
        _ = QueueAfterWaitAsync(syncId, receivedAt, lifetime.ApplicationStopping);
    }

    private async Task QueueAfterWaitAsync(Guid syncId, DateTimeOffset receivedAt, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(options.Value.Debounce, time, stopping);
            // Notifications from here on start a new wait: what they report may be after the run reads.
            var sides = TakeWaiting(syncId);
            // A push run's trace is its own, linked to the notification that started the wait (others fold into it).
            var notification = Activity.Current?.Context;
            Activity.Current = null;
            using var span = Telemetry.Source.StartActivity(
                "push run", ActivityKind.Internal, parentContext: default, links: notification is { } n ? [new ActivityLink(n)] : null);
            span?.SetTag(Telemetry.SyncIdAttribute, syncId.ToString());
            await using var scope = scopes.CreateAsyncScope();
            var runs = scope.ServiceProvider.GetRequiredService<RunStore>();
            var (run, created) = await runs.EnqueuePushAsync(syncId, sides, stopping);
            metrics.Queued(time.GetUtcNow() - receivedAt);
            if (!created)
            {
                metrics.Coalesced();
                return;
            }
            await scope.ServiceProvider.GetRequiredService<RunRequester>().AnnounceAsync(run, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the sync's next scheduled or pushed run catches up.
        }
        catch (Exception ex)
        {
            TakeWaiting(syncId);
            LogFailed(ex, syncId);
        }
    }

    private HashSet<Side> TakeWaiting(Guid syncId)
    {
        lock (_gate)
        {
            return _waiting.Remove(syncId, out var sides) ? sides : [];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not queue a push run of sync {SyncId}; its next run catches up")]
    private partial void LogFailed(Exception exception, Guid syncId);
}
