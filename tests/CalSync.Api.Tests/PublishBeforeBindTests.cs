using CalSync.Api.Runs;
using CalSync.Contracts;
using CalSync.Engine.Runs;
using CalSync.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CalSync.Api.Tests;

/// <summary>
/// RabbitMQ drops messages published to an exchange with no bindings. This class has a virtual host of
/// its own on which only the Api has ever started.
/// </summary>
public sealed class PublishBeforeBindTests(ApiFixture fixture) : IClassFixture<ApiFixture>, IDisposable
{
    private readonly IServiceScope _scope = fixture.Api.Services.CreateScope();

    private RunRequester Requester => _scope.ServiceProvider.GetRequiredService<RunRequester>();

    public void Dispose() => _scope.Dispose();

    [Fact]
    public async Task A_run_requested_before_any_worker_ever_started_waits_in_the_queue()
    {
        // No worker has declared anything on this virtual host; only the Api has started.
        var syncId = await TestData.CreateSyncAsync(fixture.Database.DataSource);

        var run = await Requester.RequestAsync(syncId, RunTrigger.Manual, fullResync: false, dryRun: false, CancellationToken.None);

        var received = new TaskCompletionSource<SyncRequested>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = Bus.Factory.CreateUsingRabbitMq(bus =>
        {
            bus.Host(fixture.Broker.Uri);
            bus.ReceiveEndpoint(QueueNames.SyncRequested, e => e.Handler<SyncRequested>(c =>
            {
                if (c.Message.RunId == run.Id)
                {
                    received.TrySetResult(c.Message);
                }
                return Task.CompletedTask;
            }));
        });
        await consumer.StartAsync();
        try
        {
            var message = await received.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal((run.SyncId, RunTrigger.Manual, false), (message.SyncId, message.Trigger, message.DryRun));
        }
        finally
        {
            await consumer.StopAsync();
        }
    }
}
