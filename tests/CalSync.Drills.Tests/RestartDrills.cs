using CalSync.Contracts;
using CalSync.Engine.Runs;
using CalSync.Engine.Storage;
using CalSync.Testing;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CalSync.Drills.Tests;

/// <summary>
/// The broker and the database go away and come back while runs are queued and running. Private servers,
/// two workers that take one run at a time (so runs wait in the queue), runs of two seconds.
/// </summary>
public sealed class RestartDrills : IAsyncLifetime
{
    private readonly PrivateServices _services = new();
    private readonly List<WorkerProcess> _workers = [];
    private NpgsqlDataSource _database = null!;
    private IBusControl _publisher = null!;
    private GoogleSandbox _google = null!;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_services.StartPostgresAsync(), _services.StartRabbitMqAsync());
        _google = await GoogleSandbox.StartAsync();
        // Google answers each call after 2 s, so a run (its two listings at once) takes about that long.
        await _google.SetLatencyAsync(TimeSpan.FromSeconds(2));
        _database = NpgsqlDataSource.Create(_services.PostgresConnectionString);
        await new DatabaseMigrator(_database, TimeProvider.System, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        _publisher = Bus.Factory.CreateUsingRabbitMq(bus =>
        {
            bus.Host(_services.RabbitMq);
            var exchange = bus.MessageTopology.GetMessageTopology<SyncRequested>().EntityName;
            bus.Publish<SyncRequested>(p => p.BindQueue(exchange, QueueNames.SyncRequested));
            bus.DeployPublishTopology = true;
        });
        await _publisher.StartAsync();
        for (var i = 0; i < 2; i++)
        {
            var worker = WorkerProcess.Start(new Dictionary<string, string>(_google.Settings)
            {
                ["Database:ConnectionString"] = _services.PostgresConnectionString,
                ["Broker:Uri"] = _services.RabbitMq.ToString(),
                ["Broker:ConcurrentRuns"] = "1",
                ["Broker:PrefetchCount"] = "1",
                ["Runs:LockCheckInterval"] = "00:00:00.500",
                ["Dispatcher:Interval"] = "00:00:00.500",
                ["Dispatcher:Grace"] = "00:00:02",
            }, keepLogsVariable: "CALSYNC_DRILL_KEEP_LOGS");
            _workers.Add(worker);
        }
        await Task.WhenAll(_workers.Select(w => w.WaitReadyAsync()));
    }

    [Fact]
    public async Task Restarting_RabbitMQ_with_runs_queued_and_PostgreSQL_mid_run_loses_nothing()
    {
        var runs = new RunStore(_database, TimeProvider.System);
        var syncs = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var syncId = (await _google.CreateSyncAsync(_database)).SyncId;
            syncs.Add(syncId);
            var (run, _) = await runs.EnqueueAsync(syncId, RunTrigger.Manual, false, false, CancellationToken.None);
            await _publisher.Publish(new SyncRequested(run.Id, run.SyncId, run.Trigger, run.QueuedAt, false, false));
            await runs.MarkPublishedAsync(run.Id, CancellationToken.None);
        }
        await Eventually.ReachesAsync(() => CountAsync(syncs, "running"), n => n > 0, "runs to start");
        Assert.True(await CountAsync(syncs, "queued") > 0, "no run was waiting in the queue");

        // RabbitMQ goes down with two runs going and four queued, and comes back.
        await _services.StopRabbitMqAsync();
        await _services.StartRabbitMqAsync();
        await Invariants.AllRunsFinishAsync(_database, syncs);

        // PostgreSQL restarts while runs are going.
        var second = new List<Guid>();
        foreach (var syncId in syncs)
        {
            var (run, _) = await runs.EnqueueAsync(syncId, RunTrigger.Manual, false, false, CancellationToken.None);
            await _publisher.Publish(new SyncRequested(run.Id, run.SyncId, run.Trigger, run.QueuedAt, false, false));
            second.Add(run.Id);
        }
        await Eventually.ReachesAsync(() => CountAsync(syncs, "running"), n => n > 0, "runs to start again");
        await _services.StopPostgresAsync();
        await _services.StartPostgresAsync();
        // The drill's own pooled connections died with the server too.
        await _database.DisposeAsync();
        _database = NpgsqlDataSource.Create(_services.PostgresConnectionString);

        await Invariants.AllRunsFinishAsync(_database, syncs);
        await Invariants.NoOverlappingRunsAsync(_database, syncs, new Dictionary<int, DateTimeOffset>());
        Assert.All(_workers, w => Assert.False(w.HasExited, w.Tail()));
    }

    private async Task<int> CountAsync(IReadOnlyCollection<Guid> syncs, string status)
    {
        await using var command = _database.CreateCommand("select count(*)::int from runs where sync_id = any(@ids) and status = @status");
        command.Parameters.AddWithValue("ids", syncs.ToArray());
        command.Parameters.AddWithValue("status", status);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }
        await _publisher.StopAsync();
        await _google.DisposeAsync();
        await _database.DisposeAsync();
        await _services.StopAndRemoveAsync();
    }
}
