using CalSync.Contracts;
using CalSync.Engine.Runs;
using CalSync.Testing;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CalSync.Worker.Tests;

/// <summary>
/// A run queued while its sync's run is still going (a change pushed meanwhile, or that run's own echo) is
/// consumed, finds the sync busy and is deferred. It starts the moment the running run ends, not after the busy
/// delay and the dispatcher's next round: here both are an hour, so only that hand-over can start it.
/// </summary>
public sealed class FollowUpRunTests(FollowUpRunTests.Fixture fixture) : IClassFixture<FollowUpRunTests.Fixture>
{
    private RunStore Runs => new(fixture.Database.DataSource, TimeProvider.System);

    [Fact]
    public async Task A_run_deferred_behind_its_syncs_running_run_starts_as_that_run_ends()
    {
        var sync = await fixture.Google.CreateSyncAsync(fixture.Worker.Services, fixture.Database.DataSource);
        var first = await TriggerAsync(sync.SyncId);
        await Eventually.ReachesAsync(() => Runs.GetAsync(first.Id, CancellationToken.None), r => r!.Status == RunStatus.Running, "the first run running");

        var second = await TriggerAsync(sync.SyncId);
        await Eventually.ReachesAsync(() => Runs.GetAsync(second.Id, CancellationToken.None), r => r!.NextAttemptAt is not null, "the second run deferred");

        var finished = await Eventually.ReachesAsync(() => Runs.GetAsync(second.Id, CancellationToken.None), r => r!.IsFinished, "the second run finished");
        Assert.Equal(RunStatus.Succeeded, finished!.Status);
        Assert.Equal(RunStatus.Succeeded, (await Runs.GetAsync(first.Id, CancellationToken.None))!.Status);
    }

    private async Task<Run> TriggerAsync(Guid syncId)
    {
        var (run, created) = await Runs.EnqueueAsync(syncId, RunTrigger.Push, false, false, CancellationToken.None);
        Assert.True(created);
        await fixture.TestBus.Publish(new SyncRequested(run.Id, run.SyncId, run.Trigger, run.QueuedAt, run.FullResync, run.DryRun));
        await Runs.MarkPublishedAsync(run.Id, CancellationToken.None);
        return run;
    }

    /// <summary>A worker whose runs take a few seconds, and whose busy delay and dispatcher wait an hour.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public TestDatabase Database { get; } = new();

        public TestVirtualHost Broker { get; } = new();

        public GoogleSandbox Google { get; private set; } = null!;

        public WebApplicationFactory<Program> Worker { get; private set; } = null!;

        public IBusControl TestBus { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Database.InitializeAsync();
            await Broker.InitializeAsync();
            Google = await GoogleSandbox.StartAsync();
            // Runs take a few seconds because Google answers slowly: long enough to queue another meanwhile.
            await Google.SetLatencyAsync(TimeSpan.FromSeconds(2));
            Worker = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            {
                foreach (var (key, value) in Google.Settings)
                {
                    web.UseSetting(key, value);
                }
                web.UseSetting("Database:ConnectionString", Database.ConnectionString);
                web.UseSetting("Broker:Uri", Broker.Uri.ToString());
                web.UseSetting("Runs:BusyRetryDelay", "01:00:00");
                web.UseSetting("Dispatcher:Interval", "01:00:00");
            });
            _ = Worker.Services;
            TestBus = Bus.Factory.CreateUsingRabbitMq(bus => bus.Host(Broker.Uri));
            await TestBus.StartAsync();
        }

        public async Task DisposeAsync()
        {
            await TestBus.StopAsync();
            await Worker.DisposeAsync();
            await Google.DisposeAsync();
            await Broker.DisposeAsync();
            await Database.DisposeAsync();
        }
    }
}
