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
        // Report started only once the bus is connected and the queue is consuming.
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return builder;
    }
}
