using CalSync.Engine.Runs;
using CalSync.Engine.Sync;

namespace CalSync.Worker.Runs;

public static class RunsExtensions
{
    /// <summary>
    /// What executes runs, and only workers do: the run processor under the sync's lock, the sync runner as its
    /// work, and the dispatcher that re-publishes runs needing a message. Configuration: <c>Runs</c>
    /// (<see cref="RunOptions"/>), <c>Sync</c> (<see cref="SyncEngineOptions"/>), <c>Dispatcher</c> (<see cref="DispatcherOptions"/>).
    /// </summary>
    public static IHostApplicationBuilder AddWorkerRuns(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RunOptions>().BindConfiguration(RunOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SyncEngineOptions>().BindConfiguration(SyncEngineOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DispatcherOptions>().BindConfiguration(DispatcherOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SyncStateStore>();
        services.AddSingleton<CopyRemover>();
        services.AddSingleton<SyncRunner>();
        services.AddSingleton<IRunWork>(sp => sp.GetRequiredService<SyncRunner>());
        services.AddSingleton<RunLock>();
        services.AddSingleton<RunMetrics>();
        services.AddSingleton<RunProcessor>();
        services.AddSingleton<RunDispatcher>();
        services.AddHostedService<RunDispatcherService>();
        return builder;
    }
}
