using CalSync.Engine.Push;
using Quartz;

namespace CalSync.Worker.Push;

/// <summary>
/// Makes the Google push channels follow the syncs (create, renew before expiry, stop). Every few seconds on
/// one node of the Quartz cluster at a time, so exactly one process creates or renews each channel.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class PushChannelJob(WatchReconciler reconciler, ILogger<PushChannelJob> logger) : IJob
{
    public static readonly JobKey Key = new("reconcile-push-channels", "calsync");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var round = await reconciler.ReconcileAsync(cancellationToken);
        if (round is not { Created: 0, Renewed: 0, Stopped: 0, Failed: 0 })
        {
            LogRound(round.Created, round.Renewed, round.Stopped, round.Failed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Push channels: {Created} created, {Renewed} renewed, {Stopped} stopped, {Failed} failed")]
    private partial void LogRound(int created, int renewed, int stopped, int failed);
}
