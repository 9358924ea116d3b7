using DotNet.Testcontainers.Configurations;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace CalSync.Testing;

/// <summary>
/// The real PostgreSQL and RabbitMQ the integration tests use: the servers named by
/// <c>CALSYNC_TEST_POSTGRES</c> / <c>CALSYNC_TEST_RABBITMQ</c> (+ <c>CALSYNC_TEST_RABBITMQ_MANAGEMENT</c>),
/// which <c>./test.sh</c> starts and sets; otherwise containers when a Docker engine answers. With
/// neither, tests fail with a message saying how to run them: they never pass by skipping.
/// </summary>
public static class TestServices
{
    private static readonly Lazy<Task<Endpoints>> Shared = new(StartAsync);

    public static Task<Endpoints> GetAsync() => Shared.Value;

    private static async Task<Endpoints> StartAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("CALSYNC_TEST_POSTGRES");
        var rabbit = Environment.GetEnvironmentVariable("CALSYNC_TEST_RABBITMQ");
        var management = Environment.GetEnvironmentVariable("CALSYNC_TEST_RABBITMQ_MANAGEMENT");
        if (!string.IsNullOrEmpty(postgres) && !string.IsNullOrEmpty(rabbit) && !string.IsNullOrEmpty(management))
        {
            return new Endpoints(postgres, new Uri(rabbit), new Uri(management));
        }

        if (TestcontainersSettings.OS.DockerEndpointAuthConfig is null)
        {
            throw new InvalidOperationException(
                "These tests need PostgreSQL and RabbitMQ. Run them with ./test.sh (it starts private instances), " +
                "or set CALSYNC_TEST_POSTGRES, CALSYNC_TEST_RABBITMQ and CALSYNC_TEST_RABBITMQ_MANAGEMENT, or start a Docker engine.");
        }

        var pg = new PostgreSqlBuilder("postgres:15").Build();
        var mq = new RabbitMqBuilder("rabbitmq:3.13-management").Build();
        await Task.WhenAll(pg.StartAsync(), mq.StartAsync());
        var managementUri = new UriBuilder("http", mq.Hostname, mq.GetMappedPublicPort(15672)) { UserName = "rabbitmq", Password = "rabbitmq" }.Uri;
        return new Endpoints(pg.GetConnectionString(), new Uri(mq.GetConnectionString()), managementUri);
    }
}

/// <summary>Where the test servers are: a PostgreSQL superuser connection string and RabbitMQ's AMQP and management URIs.</summary>
public sealed record Endpoints(string PostgresAdmin, Uri RabbitMq, Uri RabbitMqManagement);
