using System.Collections.Concurrent;
using CalSync.Contracts;
using CalSync.Engine.Runs;
using CalSync.Testing;
using MassTransit;

namespace CalSync.Drills.Tests;

/// <summary>
/// A drill's world: its own database and RabbitMQ virtual host, worker processes started on demand, and a
/// publisher set up as the Api's is (it binds the workers' queue, so early messages wait).
/// </summary>
public class DrillFixture : IAsyncLifetime
{
    private readonly ConcurrentBag<WorkerProcess> _all = [];

    public TestDatabase Database { get; } = new();

    public TestVirtualHost Broker { get; } = new();

    public IBusControl Publisher { get; private set; } = null!;

    /// <summary>The Google the workers sync against (an in-process emulator): drills run real syncs.</summary>
    public GoogleSandbox Google { get; private set; } = null!;

    public RunStore Runs => new(Database.DataSource, TimeProvider.System);

    /// <summary>Worker settings for this drill (configuration keys as in appsettings, ':' separated).</summary>
    protected virtual Dictionary<string, string> WorkerSettings => new()
    {
        ["Dispatcher:Interval"] = "00:00:00.500",
        ["Dispatcher:Grace"] = "00:00:02",
        ["Runs:BusyRetryDelay"] = "00:00:00.500",
        ["Runs:LockCheckInterval"] = "00:00:00.500",
        ["Broker:ShutdownGrace"] = "00:00:02",
    };

    /// <summary>How long Google takes to answer each Calendar call in this drill.</summary>
    protected virtual TimeSpan GoogleLatency => TimeSpan.Zero;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await Broker.InitializeAsync();
        Google = await GoogleSandbox.StartAsync();
        await Google.SetLatencyAsync(GoogleLatency);
        Publisher = Bus.Factory.CreateUsingRabbitMq(bus =>
        {
            bus.Host(Broker.Uri);
            var exchange = bus.MessageTopology.GetMessageTopology<SyncRequested>().EntityName;
            bus.Publish<SyncRequested>(p => p.BindQueue(exchange, QueueNames.SyncRequested));
            bus.DeployPublishTopology = true;
        });
        await Publisher.StartAsync();
    }

    public async Task<WorkerProcess> StartWorkerAsync(bool waitReady = true)
    {
        var settings = WorkerSettings;
        settings["Database:ConnectionString"] = Database.ConnectionString;
        settings["Broker:Uri"] = Broker.Uri.ToString();
        foreach (var (key, value) in Google.Settings)
        {
            settings[key] = value;
        }
        var worker = WorkerProcess.Start(settings, keepLogsVariable: "CALSYNC_DRILL_KEEP_LOGS");
        _all.Add(worker);
        if (waitReady)
        {
            await worker.WaitReadyAsync();
        }
        return worker;
    }

    /// <summary>What the Api does for a trigger: queue (or join) a run, publish, record the publish.</summary>
    public async Task<Run> TriggerAsync(Guid syncId, string trigger = RunTrigger.Manual)
    {
        var (run, created) = await Runs.EnqueueAsync(syncId, trigger, false, false, CancellationToken.None);
        if (created)
        {
            await PublishAsync(run);
            await Runs.MarkPublishedAsync(run.Id, CancellationToken.None);
        }
        return run;
    }

    public Task PublishAsync(Run run) =>
        Publisher.Publish(new SyncRequested(run.Id, run.SyncId, run.Trigger, run.QueuedAt, run.FullResync, run.DryRun));

    public async Task DisposeAsync()
    {
        foreach (var worker in _all)
        {
            await worker.DisposeAsync();
        }
        await Publisher.StopAsync();
        await Google.DisposeAsync();
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
    }
}
