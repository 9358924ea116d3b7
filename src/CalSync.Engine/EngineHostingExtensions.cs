using CalSync.Engine.Google;
using CalSync.Engine.Runs;
using CalSync.Engine.Storage;
using CalSync.Engine.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CalSync.Engine;

/// <summary>The Engine's one entry point for hosts.</summary>
public static class EngineHostingExtensions
{
    /// <summary>
    /// What every host shares: PostgreSQL (options, one data source, migrations, readiness), the Google client
    /// (<see cref="GoogleHostingExtensions.AddGoogleCalendar"/>), the stores of the tables both hosts use, and sync
    /// deletion. What executes runs (processor, lock, dispatcher, sync runner) is the workers' own registration.
    /// </summary>
    public static IHostApplicationBuilder AddCalSyncEngine(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => IsValidConnectionString(o.ConnectionString), "Database:ConnectionString is not a valid PostgreSQL connection string.")
            .ValidateOnStart();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddHostedService<MigrationHostedService>();
        builder.AddGoogleCalendar();
        builder.Services.AddSingleton<RunStore>();
        builder.Services.AddSingleton<SyncStore>();
        // Deleting a sync is database work only (its copy removal is a queued run), so the Api has it too.
        builder.Services.AddSingleton<SyncDeletion>();

        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgresql", tags: ["ready"]);
        return builder;
    }

    private static bool IsValidConnectionString(string value)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
