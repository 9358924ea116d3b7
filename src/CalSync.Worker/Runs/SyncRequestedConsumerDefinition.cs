using CalSync.Contracts;
using CalSync.Engine.Runs;
using CalSync.Worker.Hosting;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CalSync.Worker.Runs;

/// <summary>
/// The <c>sync-requested</c> queue's policy: how many runs at once, and which failures are worth an
/// immediate retry. Everything else (an unknown run, a bug) goes to <c>sync-requested_error</c>.
/// </summary>
public sealed class SyncRequestedConsumerDefinition : ConsumerDefinition<SyncRequestedConsumer>
{
    public const string QueueName = QueueNames.SyncRequested;

    private readonly BrokerOptions _options;

    public SyncRequestedConsumerDefinition(IOptions<BrokerOptions> options)
    {
        _options = options.Value;
        EndpointName = QueueName;
        ConcurrentMessageLimit = _options.ConcurrentRuns;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<SyncRequestedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = _options.PrefetchCount;
        endpointConfigurator.UseMessageRetry(retry =>
        {
            // Brief, transient trouble only: a busy sync (another run holds its lock) or a dropped
            // database connection. Longer waits are scheduled through the run row, not by holding a message.
            retry.Handle<SyncBusyException>();
            retry.Handle<NpgsqlException>(ex => ex.IsTransient);
            retry.Handle<TimeoutException>();
            retry.Exponential(8, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300));
        });
    }
}
