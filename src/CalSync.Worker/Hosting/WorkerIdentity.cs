namespace CalSync.Worker.Hosting;

/// <summary>How this process names itself in <c>runs.worker</c> and in logs: host, pid and a random suffix.</summary>
public sealed record WorkerIdentity(string Name)
{
    public static WorkerIdentity ForThisProcess() =>
        new($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}");
}
