using CalSync.Engine.Runs;
using CalSync.Engine.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CalSync.Engine.Tests.Sync.Removal;

/// <summary>What the hosts get: the Api (Engine only) can delete syncs; a worker (Engine and sync engine) can execute removals.</summary>
public sealed class RemovalRegistrationTests
{
    private static IHost Build(bool worker)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=none",
            ["Google:OAuth:ClientId"] = "id",
            ["Google:OAuth:ClientSecret"] = "secret",
            ["TokenVault:Keys:0:Id"] = "k1",
            ["TokenVault:Keys:0:Key"] = Convert.ToBase64String(new byte[32]),
        });
        builder.AddCalSyncEngine();
        if (worker)
        {
            builder.AddSyncEngine();
        }
        return builder.Build();
    }

    [Fact]
    public void AddCalSyncEngine_RegistersSyncDeletionOnce()
    {
        using var host = Build(worker: false);

        Assert.Same(host.Services.GetRequiredService<SyncDeletion>(), host.Services.GetRequiredService<SyncDeletion>());
    }

    [Fact]
    public void AddSyncEngine_RunWorkRoutesRemovalsThroughTheCopyRemover()
    {
        using var host = Build(worker: true);

        Assert.IsType<SyncRunner>(host.Services.GetRequiredService<IRunWork>());
        Assert.NotNull(host.Services.GetRequiredService<CopyRemover>());
        Assert.NotNull(host.Services.GetRequiredService<SyncDeletion>());
    }
}
