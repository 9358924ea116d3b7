using CalSync.Engine.Google;
using CalSync.Engine.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CalSync.Engine.Sync;

public static class SyncEngineRegistration
{
    /// <summary>The sync engine as the work of every run, with the Google client it talks through.</summary>
    public static IHostApplicationBuilder AddSyncEngine(this IHostApplicationBuilder builder)
    {
        builder.AddGoogleCalendar();
        var services = builder.Services;
        services.AddOptions<SyncEngineOptions>()
            .BindConfiguration(SyncEngineOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SyncStateStore>();
        services.AddSingleton<SyncDefinitionStore>();
        services.AddSingleton<SyncRunner>();
        services.AddSingleton<IRunWork>(sp => sp.GetRequiredService<SyncRunner>());
        services.AddSingleton<CopyRemover>();
        services.AddSingleton<RunProcessor>();
        return builder;
    }
}
