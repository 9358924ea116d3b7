using System.Collections.Concurrent;
using CalSync.Contracts;
using CalSync.Testing;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CalSync.Worker.Tests;

/// <summary>
/// A real worker host (its own Program, MassTransit on a private RabbitMQ virtual host, a fresh
/// PostgreSQL database) plus a separate test bus that publishes requests and reads the error queue.
/// </summary>
public sealed class WorkerFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _worker;
    private GoogleSandbox? _google;

    public TestDatabase Database { get; } = new();

    public TestVirtualHost Broker { get; } = new();

    public IBusControl TestBus { get; private set; } = null!;

    public WebApplicationFactory<Program> Worker => _worker!;

    public ConcurrentQueue<SyncRequested> Errored { get; } = new();

    public ConsumedMessages Consumed { get; } = new();

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await Broker.InitializeAsync();
        _google = await GoogleSandbox.StartAsync();
        _worker = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in _google.Settings)
            {
                web.UseSetting(key, value);
            }
            web.UseSetting("Database:ConnectionString", Database.ConnectionString);
            web.UseSetting("Broker:Uri", Broker.Uri.ToString());
            // Quick rounds so that delayed retries and takeovers show within a test's patience.
            web.UseSetting("Dispatcher:Interval", "00:00:00.200");
            web.UseSetting("Dispatcher:Grace", "00:00:01");
            web.UseSetting("Runs:BusyRetryDelay", "00:00:00.500");
            web.UseSetting("Schedules:ReconcileInterval", "00:00:01");
            web.ConfigureServices(services => services.AddConsumeObserver(_ => Consumed));
        });
        _ = _worker.Services; // Starts the host; MassTransit waits until the queue consumes.

        TestBus = Bus.Factory.CreateUsingRabbitMq(bus =>
        {
            bus.Host(Broker.Uri);
            // Reading the error queue proves where a poisoned message ended up.
            bus.ReceiveEndpoint(QueueNames.SyncRequested + "_error", e =>
            {
                e.ConfigureConsumeTopology = false;
                e.Handler<SyncRequested>(c =>
                {
                    Errored.Enqueue(c.Message);
                    return Task.CompletedTask;
                });
            });
        });
        await TestBus.StartAsync();
    }

    /// <summary>A sync between two freshly connected emulator accounts: its runs really sync.</summary>
    public async Task<Guid> CreateSyncAsync() => (await CreateSandboxSyncAsync()).SyncId;

    public Task<SandboxSync> CreateSandboxSyncAsync() => Google.CreateSyncAsync(Worker.Services, Database.DataSource);

    public GoogleSandbox Google => _google!;

    public async Task DisposeAsync()
    {
        await TestBus.StopAsync();
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }
        if (_google is not null)
        {
            await _google.DisposeAsync();
        }
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>Counts the SyncRequested messages the worker has finished consuming, by run id.</summary>
public sealed class ConsumedMessages : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _byRun = new();

    public int For(Guid runId) => _byRun.GetValueOrDefault(runId);

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Count(context);

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Count(context);

    private Task Count<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is SyncRequested request)
        {
            _byRun.AddOrUpdate(request.RunId, 1, (_, n) => n + 1);
        }
        return Task.CompletedTask;
    }
}
