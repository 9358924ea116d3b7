using CalSync.Engine.Push;
using Quartz;

namespace CalSync.Worker.Push;

public static class PushExtensions
{
    /// <summary>
    /// The push-channel job in the workers' Quartz cluster (added to the scheduler <c>AddWorkerSchedules</c>
    /// configures; a worker without schedules does not take part). Channels exist only with a
    /// <c>Webhooks:PublicUrl</c>; without one the job stops any left over.
    /// </summary>
    public static IHostApplicationBuilder AddWorkerPush(this IHostApplicationBuilder builder)
    {
        builder.AddPushChannels(reconciler: true);
        var interval = builder.Configuration.GetSection(PushOptions.SectionName).Get<PushOptions>()?.ReconcileInterval
            ?? new PushOptions().ReconcileInterval;
        builder.Services.AddQuartz(quartz => quartz.ScheduleJob<PushChannelJob>(
            trigger => trigger.WithIdentity("reconcile-push-channels", "calsync")
                .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever())
                .StartNow(),
            job => job.WithIdentity(PushChannelJob.Key).DisallowConcurrentExecution(true)));
        return builder;
    }
}
