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
            // Brief infrastructure trouble only: a dropped database connection or a lost sync lock (the
            // database restarted). Rate limits, outages and a busy sync wait through the run row
            // (next_attempt_at and the dispatcher), never by holding a message.
            retry.Handle<NpgsqlException>(ex => ex.IsTransient);
            retry.Handle<TimeoutException>();
            retry.Handle<RunLockLostException>();
            retry.Exponential(8, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300));
        });
    }
}
