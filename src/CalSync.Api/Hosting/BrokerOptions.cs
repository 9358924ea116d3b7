using System.ComponentModel.DataAnnotations;

namespace CalSync.Api.Hosting;

/// <summary>The RabbitMQ broker the Api publishes to (environment: <c>Broker__Uri</c>).</summary>
public sealed class BrokerOptions
{
    public const string SectionName = "Broker";

    [Required]
    public Uri Uri { get; set; } = new("amqp://guest:guest@127.0.0.1:5672/");
}
