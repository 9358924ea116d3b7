using Npgsql;
using Quartz;

namespace CalSync.Worker.Schedules;

public static class SchedulingExtensions
{
    /// <summary>
    /// Quartz on PostgreSQL, clustered: every worker runs a node, each trigger fires on one node, and a dead
    /// node's triggers are taken over. Quartz creates its own <c>qrtz_*</c> tables at start-up.
    /// </summary>
    public static IHostApplicationBuilder AddWorkerSchedules(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ScheduleOptions>()
            .BindConfiguration(ScheduleOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(ScheduleOptions.SectionName).Get<ScheduleOptions>() ?? new ScheduleOptions();
        if (!options.Enabled)
        {
            return builder;
        }

        builder.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(s =>
            {
                s.InstanceName = options.SchedulerName;
                s.GenerateInstanceId = true;
            });
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(db => db.DataSourceFactory = sp => sp.GetRequiredService<NpgsqlDataSource>());
                store.UseClustering(c => c.CheckinInterval = options.ClusterCheckinInterval);
                store.ProvisionSchema();
            });
            quartz.AddJob<SyncScheduleJob>(job => job.WithIdentity(SyncScheduleTriggers.JobKey).StoreDurably(true));
            quartz.ScheduleJob<ScheduleReconcileJob>(
                trigger => trigger.WithIdentity("reconcile-schedules", "calsync")
                    .WithSimpleSchedule(s => s.WithInterval(options.ReconcileInterval).RepeatForever())
                    .StartNow(),
                job => job.WithIdentity(ScheduleReconcileJob.Key).DisallowConcurrentExecution(true));
        });
        builder.AddQuartzHostedService(o =>
        {
            // Start firing once the bus is up, and let a firing job finish when the worker stops.
            o.AwaitApplicationStarted = true;
            o.WaitForJobsToComplete = true;
        });
        return builder;
    }
}
