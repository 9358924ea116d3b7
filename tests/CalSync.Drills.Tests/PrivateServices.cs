using System.Diagnostics;
using CalSync.Testing;

namespace CalSync.Drills.Tests;

/// <summary>
/// PostgreSQL and RabbitMQ of a drill's own, started with <c>scripts/services.sh</c> (as <c>./test.sh</c>
/// and <c>./run.sh</c> start theirs) on free ports, so a drill can stop and restart them without
/// disturbing the tests that share the suite's servers. The servers run as their own users, hence the
/// world-readable directory.
/// </summary>
public sealed class PrivateServices
{
    private readonly string _dir = Directory.CreateTempSubdirectory("calsync-drill-").FullName;
    private readonly string _password = Guid.NewGuid().ToString("N");
    private readonly int _pgPort = WorkerProcess.FreePort();
    private readonly int _amqpPort = WorkerProcess.FreePort();
    private readonly int _managementPort = WorkerProcess.FreePort();
    // Erlang's port mapper listens on the next one (scripts/services.sh).
    private readonly int _distributionPort = WorkerProcess.FreePort(count: 2);

    public string PostgresConnectionString =>
        $"Host=127.0.0.1;Port={_pgPort};Username=calsync;Password={_password};Database=calsync;Timeout=5";

    public Uri RabbitMq => new($"amqp://guest:guest@127.0.0.1:{_amqpPort}/");

    public Task StartPostgresAsync() => ScriptAsync($"PG_FSYNC=off start_postgres {_dir}/postgres {_pgPort} {_password}");

    public Task StopPostgresAsync() => ScriptAsync($"stop_postgres {_dir}/postgres");

    public Task StartRabbitMqAsync() =>
        ScriptAsync($"start_rabbitmq {_dir}/rabbitmq {_amqpPort} {_managementPort} {_distributionPort} calsync-drill-{_amqpPort}");

    public Task StopRabbitMqAsync() => ScriptAsync($"stop_rabbitmq {_dir}/rabbitmq");

    /// <summary>Stops both servers and removes their data.</summary>
    public async Task StopAndRemoveAsync()
    {
        await StopRabbitMqAsync();
        await StopPostgresAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task ScriptAsync(string command)
    {
        var script = Path.Combine(WorkerProcess.RepositoryRoot(), "scripts", "services.sh");
        var start = new ProcessStartInfo("bash", ["-c", $"chmod 755 '{_dir}' && source '{script}' && {command}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
