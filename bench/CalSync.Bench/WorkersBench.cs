extern alias worker;

using System.Diagnostics;
using System.Net.Http.Json;
using CalSync.Contracts;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Runs;
using CalSync.Engine.Sync;
using CalSync.Testing;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using worker::CalSync.Worker.Hosting;

namespace CalSync.Bench;

/// <summary>
/// Throughput of real worker processes: N syncs triggered at once (as the Api triggers them: queue the run,
/// publish <see cref="SyncRequested"/>, record the publish), drained by 1, 2 and 4 workers against the
/// emulator with a fixed latency per HTTP request. Each round gets a fresh database, virtual host, syncs
/// and workers, so every round does the same work: each sync's first run, which lists both sides and
/// writes its events in one batch. Prints figures per round and the scaling ratios; asserts nothing.
/// </summary>
internal static class WorkersBench
{
    private static readonly int[] WorkerCounts = [1, 2, 4];

    public static async Task RunAsync(int syncs, int latencyMs, int eventsPerSync)
    {
        await using var google = await GoogleSandbox.StartAsync();
        using var admin = new HttpClient { BaseAddress = google.Emulator.BaseUri };
        var defaults = new BrokerOptions();
        Console.WriteLine($"Workers bench: {syncs} one-way syncs triggered at once, {eventsPerSync} events each (each sync's first run); " +
            $"emulator latency {latencyMs} ms per HTTP request; {Environment.ProcessorCount} CPU cores shared by the workers, " +
            $"the emulator (in the bench process), PostgreSQL and RabbitMQ; load average {LoadAverage()}.");
        Console.WriteLine($"Worker settings: {Setting("Broker__ConcurrentRuns", defaults.ConcurrentRuns)}, " +
            $"{Setting("Broker__PrefetchCount", defaults.PrefetchCount)}; everything else at its default.");
        Console.WriteLine(RoundFigures.Header);

        var rounds = new List<RoundFigures>();
        foreach (var workers in WorkerCounts)
        {
            var figures = await RoundAsync(workers, syncs, latencyMs, eventsPerSync, google, admin);
            Console.WriteLine(figures.Row);
            rounds.Add(figures);
        }
        Console.WriteLine(RoundFigures.Ratios(rounds));
    }

    private static async Task<RoundFigures> RoundAsync(int workers, int syncs, int latencyMs, int eventsPerSync, GoogleSandbox google, HttpClient admin)
    {
        await SetLatencyAsync(admin, 0); // Setting up is not what is measured.
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        await using var broker = new TestVirtualHost();
        await broker.InitializeAsync();
        var syncIds = await CreateSyncsAsync(google, database, syncs, eventsPerSync);

        var publisher = await StartPublisherAsync(broker);
        var settings = new Dictionary<string, string>(google.Settings)
        {
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Broker:Uri"] = broker.Uri.ToString(),
        };
        var started = new List<WorkerProcess>();
        try
        {
            // One at a time: the first also provisions Quartz's tables.
            for (var i = 0; i < workers; i++)
            {
                var process = WorkerProcess.Start(settings, keepLogsVariable: "CALSYNC_BENCH_KEEP_LOGS");
                started.Add(process);
                await process.WaitReadyAsync();
            }
            await SetLatencyAsync(admin, latencyMs);
            (await admin.PostAsync(new Uri("emulator/stats/reset", UriKind.Relative), null)).EnsureSuccessStatusCode();

            var load = LoadAverage().Split(' ')[0];
            var triggeredAt = TimeProvider.System.GetUtcNow();
            await TriggerAsync(database, publisher, syncIds);
            var triggering = TimeProvider.System.GetUtcNow() - triggeredAt;
            await WaitFinishedAsync(database, syncs, started);
            return await RoundFigures.MeasureAsync(workers, triggeredAt, triggering, load, database.DataSource, admin);
        }
        finally
        {
            // As an operator stops them (SIGTERM and the shutdown grace), then gone.
            await Task.WhenAll(started.Select(w => w.StopAsync()));
            await Task.WhenAll(started.Select(w => w.DisposeAsync().AsTask()));
            await publisher.StopAsync();
        }
    }

    /// <summary>Set up as the Api's publisher is: binding the workers' queue to the message's exchange.</summary>
    internal static async Task<IBusControl> StartPublisherAsync(TestVirtualHost broker)
    {
        var publisher = Bus.Factory.CreateUsingRabbitMq(bus =>
        {
            bus.Host(broker.Uri);
            var exchange = bus.MessageTopology.GetMessageTopology<SyncRequested>().EntityName;
            bus.Publish<SyncRequested>(p => p.BindQueue(exchange, QueueNames.SyncRequested));
            bus.DeployPublishTopology = true;
        });
        await publisher.StartAsync();
        return publisher;
    }

    /// <summary>As the Api triggers: queue the run, publish <see cref="SyncRequested"/>, record the publish.</summary>
    internal static Task TriggerAsync(TestDatabase database, IBusControl publisher, IEnumerable<Guid> syncIds)
    {
        var runs = new RunStore(database.DataSource, TimeProvider.System);
        return Task.WhenAll(syncIds.Select(async syncId =>
        {
            var (run, _) = await runs.EnqueueAsync(syncId, RunTrigger.Manual, fullResync: false, dryRun: false, CancellationToken.None);
            await publisher.Publish(new SyncRequested(run.Id, run.SyncId, run.Trigger, run.QueuedAt, run.FullResync, run.DryRun));
            await runs.MarkPublishedAsync(run.Id, CancellationToken.None);
        }));
    }

    /// <summary>Users with two connected emulator accounts each and a one-way sync; events seeded in the sources.</summary>
    private static async Task<Guid[]> CreateSyncsAsync(GoogleSandbox google, TestDatabase database, int syncs, int eventsPerSync)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(google.Settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)));
        builder.Services.AddSingleton(database.DataSource);
        builder.AddGoogleCalendar();
        builder.Services.AddSingleton<SyncStore>();
        using var host = builder.Build();
        var definitions = host.Services.GetRequiredService<SyncStore>();
        var clients = host.Services.GetRequiredService<GoogleCalendarClientFactory>();
        var start = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1);

        var ids = new Guid[syncs];
        await Parallel.ForEachAsync(Enumerable.Range(0, syncs), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var sandbox = await google.CreateSyncAsync(host.Services, database.DataSource);
            var sync = await definitions.GetDefinitionAsync(sandbox.SyncId, ct) ?? throw new InvalidOperationException("The sync just created is missing.");
            var events = Enumerable.Range(0, eventsPerSync).Select(e => CalendarOperation.InsertEvent(sync.A.CalendarId, new GoogleEvent
            {
                Id = $"bench{e:d6}", // Ids are per calendar, and each sync has its own.
                Summary = $"Bench event {e}",
                Start = EventDateTime.At(start.AddHours(e), "Europe/Berlin"),
                End = EventDateTime.At(start.AddHours(e).AddMinutes(30), "Europe/Berlin"),
            })).ToList();
            var results = await clients.ForAccount(sync.A.AccountId).ExecuteBatchAsync(events, ct);
            if (results.Any(r => !r.Succeeded))
            {
                throw new InvalidOperationException("Seeding a source calendar failed.");
            }
            ids[i] = sandbox.SyncId;
        });
        return ids;
    }

    internal static async Task WaitFinishedAsync(TestDatabase database, int syncs, List<WorkerProcess> workers, TimeSpan? within = null)
    {
        var clock = Stopwatch.StartNew();
        var timeout = within ?? TimeSpan.FromMinutes(10);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        while (true)
        {
            var finished = await connection.ExecuteScalarAsync<int>(
                "select count(*) from runs where status in ('succeeded', 'failed', 'needs_confirmation')");
            if (finished >= syncs)
            {
                return;
            }
            if (workers.FirstOrDefault(w => w.HasExited) is { } dead)
            {
                throw new InvalidOperationException($"A worker exited during the round; log: {dead.LogPath}\n{dead.Tail()}");
            }
            if (clock.Elapsed > timeout)
            {
                var statuses = await connection.QueryAsync<(string Status, long Count)>("select status, count(*) from runs group by status");
                throw new TimeoutException($"Only {finished} of {syncs} runs finished within {timeout.TotalMinutes} min " +
                    $"({string.Join(", ", statuses.Select(s => $"{s.Status}: {s.Count}"))}). Last worker log:\n{workers[^1].Tail()}");
            }
            await Task.Delay(50);
        }
    }

    private static async Task SetLatencyAsync(HttpClient admin, int latencyMs) =>
        (await admin.PutAsJsonAsync(new Uri("emulator/faults", UriKind.Relative), new { latencyMs })).EnsureSuccessStatusCode();

    /// <summary>Other work on the machine skews the figures; say how much there was.</summary>
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>Workers inherit this process's environment: an operator's override shows here.</summary>
    private static string Setting(string variable, int fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? $"{variable}={value} (from the environment)" : $"{variable}={fallback} (default)";
}
