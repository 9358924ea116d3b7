using Microsoft.Extensions.DependencyInjection;

namespace CalSync.Engine.Sync;

public static class SyncEngineRegistration
{
    /// <summary>The sync engine's services; needs the Google client (<c>AddGoogleCalendar</c>) and PostgreSQL.</summary>
    public static IServiceCollection AddSyncEngine(this IServiceCollection services)
    {
        services.AddOptions<SyncEngineOptions>()
            .BindConfiguration(SyncEngineOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SyncStateStore>();
        services.AddSingleton<SyncDefinitionStore>();
        services.AddSingleton<SyncRunner>();
        services.AddSingleton<SyncRunService>();
        return services;
    }
}
