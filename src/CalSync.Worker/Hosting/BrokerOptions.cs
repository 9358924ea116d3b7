using System.ComponentModel.DataAnnotations;

namespace CalSync.Worker.Hosting;

/// <summary>The RabbitMQ broker and how much work one worker takes at once (environment: <c>Broker__Uri</c>, ...).</summary>
public sealed class BrokerOptions
{
    public const string SectionName = "Broker";

    /// <summary>AMQP URI with credentials, e.g. <c>amqp://guest:guest@127.0.0.1:5672/</c>.</summary>
    [Required]
    public Uri Uri { get; set; } = new("amqp://guest:guest@127.0.0.1:5672/");

    /// <summary>
    /// Runs one worker executes at once. Runs are I/O-bound (Google and PostgreSQL round trips), so a
    /// worker on two cores keeps several in flight.
    /// </summary>
    [Range(1, 256)]
    public int ConcurrentRuns { get; set; } = 8;

    /// <summary>Messages the broker hands a worker ahead of need; a little above the concurrency keeps it busy.</summary>
    [Range(1, 1024)]
    public int PrefetchCount { get; set; } = 16;

    /// <summary>
    /// How long a stopping worker lets its running runs finish; runs still going after that are handed
    /// back (queued again for another worker) before the worker exits.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(20);
}
