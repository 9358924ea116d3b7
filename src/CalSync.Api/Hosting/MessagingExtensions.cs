using CalSync.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CalSync.Api.Hosting;

public static class MessagingExtensions
{
    /// <summary>MassTransit on RabbitMQ, publish-only: the Api never consumes.</summary>
    public static IHostApplicationBuilder AddApiMessaging(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BrokerOptions>()
            .BindConfiguration(BrokerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddMassTransit(bus => bus.UsingRabbitMq((context, rabbit) =>
        {
            rabbit.Host(context.GetRequiredService<IOptions<BrokerOptions>>().Value.Uri);
            // RabbitMQ drops a message published to an exchange nothing is bound to. Binding the workers'
            // queue straight to the message's exchange here, at start-up, means a run requested before any
            // worker has ever started waits in the queue. (Workers add their usual exchange-to-exchange
            // binding too; RabbitMQ delivers a message to a queue once however many bindings match.)
            var exchange = rabbit.MessageTopology.GetMessageTopology<SyncRequested>().EntityName;
            rabbit.Publish<SyncRequested>(p => p.BindQueue(exchange, QueueNames.SyncRequested));
            rabbit.DeployPublishTopology = true;
        }));
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        builder.Services.AddScoped<Runs.RunRequester>();
        return builder;
    }
}
