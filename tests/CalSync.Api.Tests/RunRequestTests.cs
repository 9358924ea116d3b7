using CalSync.Api.Runs;
using CalSync.Contracts;
using CalSync.Engine.Runs;
using CalSync.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CalSync.Api.Tests;

/// <summary>Requesting runs through the Api's publisher and the real broker.</summary>
public sealed class RunRequestTests(ApiFixture fixture) : IClassFixture<ApiFixture>, IDisposable
{
    private readonly IServiceScope _scope = fixture.Api.Services.CreateScope();

    private RunRequester Requester => _scope.ServiceProvider.GetRequiredService<RunRequester>();

    public void Dispose() => _scope.Dispose();

    [Fact]
    public async Task With_a_worker_bound_the_usual_way_each_request_is_delivered_once()
    {
        // The Api's direct queue binding and the worker's exchange-to-exchange binding both match.
        var deliveries = new System.Collections.Concurrent.ConcurrentDictionary<Guid, int>();
        var sentinelSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sentinelSync = await TestData.CreateSyncAsync(fixture.Database.DataSource);
        var consumer = Bus.Factory.CreateUsingRabbitMq(bus =>
        {
            bus.Host(fixture.Broker.Uri);
            bus.ReceiveEndpoint(QueueNames.SyncRequested, e =>
            {
                e.ConcurrentMessageLimit = 1; // One at a time: the queue's order is the delivery order.
                e.Handler<SyncRequested>(c =>
                {
                    deliveries.AddOrUpdate(c.Message.RunId, 1, (_, n) => n + 1);
                    if (c.Message.SyncId == sentinelSync)
                    {
                        sentinelSeen.TrySetResult();
                    }
                    return Task.CompletedTask;
                });
            });
        });
        await consumer.StartAsync();
        try
        {
            var syncId = await TestData.CreateSyncAsync(fixture.Database.DataSource);
            var run = await Requester.RequestAsync(syncId, RunTrigger.Manual, false, false, CancellationToken.None);
            // A duplicate would be routed at publish time, so it would sit in the queue before the sentinel.
            await Requester.RequestAsync(sentinelSync, RunTrigger.Manual, false, false, CancellationToken.None);
            await sentinelSeen.Task.WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(1, deliveries.GetValueOrDefault(run.Id));
        }
        finally
        {
            await consumer.StopAsync();
        }
    }

    [Fact]
    public async Task A_second_request_while_one_is_queued_returns_the_same_run()
    {
        var syncId = await TestData.CreateSyncAsync(fixture.Database.DataSource);

        var first = await Requester.RequestAsync(syncId, RunTrigger.Manual, false, false, CancellationToken.None);
        var second = await Requester.RequestAsync(syncId, RunTrigger.Schedule, false, false, CancellationToken.None);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(RunStatus.Queued, second.Status);
    }
}
