using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CalSync.Engine.Storage;

/// <summary>Migrates the database before the host's other services start (hosted services start in order).</summary>
internal sealed class MigrationHostedService(DatabaseMigrator migrator, IOptions<DatabaseOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStart)
        {
            await migrator.MigrateAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
