using CalSync.Worker.Runs;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CalSync.Worker.Hosting;

public static class MessagingExtensions
{
    /// <summary>MassTransit on RabbitMQ with the worker's consumers, registered explicitly.</summary>
    public static IHostApplicationBuilder AddWorkerMessaging(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BrokerOptions>()
            .BindConfiguration(BrokerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(WorkerIdentity.ForThisProcess());

        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<SyncRequestedConsumer, SyncRequestedConsumerDefinition>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<BrokerOptions>>().Value;
                rabbit.Host(options.Uri);
                rabbit.ConfigureEndpoints(context);
            });
        });
        // Report started only once the bus is connected and the queue is consuming. On stop, running runs get
        // ShutdownGrace to finish; then their cancellation tokens fire and they are handed back.
        builder.Services.AddOptions<MassTransitHostOptions>().Configure<IOptions<BrokerOptions>>((o, broker) =>
        {
            o.WaitUntilStarted = true;
            o.ConsumerStopTimeout = broker.Value.ShutdownGrace;
            o.StopTimeout = broker.Value.ShutdownGrace + TimeSpan.FromSeconds(10);
        });
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<BrokerOptions>>((o, broker) =>
            o.ShutdownTimeout = broker.Value.ShutdownGrace + TimeSpan.FromSeconds(15));
        return builder;
    }
}
