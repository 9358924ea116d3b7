using CalSync.Engine.Runs;
using CalSync.Engine.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CalSync.Engine.Tests;

/// <summary>What <c>AddCalSyncEngine</c> gives every host (the Api among them): the shared stores, never what only workers run.</summary>
public sealed class EngineRegistrationTests
{
    private static IHost Build()
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
        return builder.Build();
    }

    [Fact]
    public void AddCalSyncEngine_RegistersSyncDeletionOnce()
    {
        using var host = Build();

        Assert.Same(host.Services.GetRequiredService<SyncDeletion>(), host.Services.GetRequiredService<SyncDeletion>());
        Assert.NotNull(host.Services.GetRequiredService<RunStore>());
    }

    [Fact]
    public void AddCalSyncEngine_RegistersNothingOnlyWorkersRun()
    {
        using var host = Build();

        Assert.Equal(
            [null, null, null, null, null],
            new[] { typeof(RunProcessor), typeof(RunDispatcher), typeof(RunLock), typeof(IRunWork), typeof(SyncRunner) }
                .Select(type => host.Services.GetService(type) is null ? null : type.Name));
    }
}
