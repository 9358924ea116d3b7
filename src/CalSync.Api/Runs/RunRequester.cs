using CalSync.Contracts;
using CalSync.Engine.Runs;
using MassTransit;

namespace CalSync.Api.Runs;

/// <summary>
/// Queues a run (the row is the truth) and tells the workers about it. If the publish fails the run stays
/// queued and the dispatcher re-publishes it; the caller still gets its run.
/// </summary>
public sealed partial class RunRequester(RunStore runs, IPublishEndpoint publisher, ILogger<RunRequester> logger)
{
    public Task<Run> RequestAsync(Guid syncId, string trigger, bool fullResync, bool dryRun, CancellationToken cancellationToken) =>
        RequestAsync(syncId, trigger, fullResync, dryRun, confirmDeletes: false, cancellationToken);

    public async Task<Run> RequestAsync(Guid syncId, string trigger, bool fullResync, bool dryRun, bool confirmDeletes, CancellationToken cancellationToken)
    {
        var (run, created) = await runs.EnqueueAsync(syncId, trigger, fullResync, dryRun, confirmDeletes, cancellationToken);
        if (!created)
        {
            return run; // Coalesced into a run that is already queued, and already announced.
        }
        await AnnounceAsync(run, cancellationToken);
        return run;
    }

    /// <summary>
    /// Publishes <c>SyncRequested</c> for a run queued elsewhere (say, the copy removal a sync deletion queues)
    /// and records that it went out; a failure is logged and left to the dispatcher.
    /// </summary>
    public async Task AnnounceAsync(Run run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            await publisher.Publish(
                new SyncRequested(run.Id, run.SyncId, run.Trigger, run.QueuedAt, run.FullResync, run.DryRun),
                cancellationToken);
            await runs.MarkPublishedAsync(run.Id, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPublishFailed(ex, run.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} is queued but its message could not be published; the dispatcher will retry")]
    private partial void LogPublishFailed(Exception exception, Guid runId);
}
