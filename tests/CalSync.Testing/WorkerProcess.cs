using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CalSync.Testing;

/// <summary>
/// A real worker: <c>dotnet CalSync.Worker.dll</c> from the worker's own build output (the configuration the
/// caller was built in), configured through the environment as an operator would. Its output goes straight to
/// a log file (the shell redirects it and then becomes the worker), so the caller spends no CPU relaying it.
/// Failure drills and the workers benchmark start theirs with it.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string? _keepLogsVariable;

    private WorkerProcess(Process process, Uri url, string logPath, string? keepLogsVariable)
    {
        _process = process;
        Url = url;
        LogPath = logPath;
        _keepLogsVariable = keepLogsVariable;
    }

    public Uri Url { get; }

    public string LogPath { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts a worker with <paramref name="settings"/> (configuration keys; <c>:</c> becomes <c>__</c>). Its log is
    /// deleted on disposal unless the environment variable <paramref name="keepLogsVariable"/> is set.
    /// </summary>
    public static WorkerProcess Start(IReadOnlyDictionary<string, string> settings, string? keepLogsVariable = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var dll = WorkerDll();
        var logPath = Path.Combine(Path.GetTempPath(), $"calsync-worker-{Guid.NewGuid():N}.log");
        // exec: the shell becomes the worker, so its pid is the worker's and signals reach it.
        var start = new ProcessStartInfo("bash", ["-c", "exec dotnet \"$0\" >\"$1\" 2>&1", dll, logPath])
        {
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = url.ToString();
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        return new WorkerProcess(process, url, logPath, keepLogsVariable);
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200 (the bus consumes and PostgreSQL answers).</summary>
    public async Task WaitReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"A worker exited while starting; log: {LogPath}\n{Tail()}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(Url, "/health/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or one slow answer.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"A worker was not ready within 120 s; log: {LogPath}\n{Tail()}");
    }

    /// <summary><c>kill -9</c>: no shutdown, no hand-back; its connections die with it.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>Stops the worker as an operator would (SIGTERM, then its shutdown grace); kills it if it hangs.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public string Tail() => File.Exists(LogPath) ? string.Join('\n', File.ReadLines(LogPath).TakeLast(40)) : "";

    /// <summary>Kills the worker if it still runs (callers stop it first when they want a clean shutdown).</summary>
    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        // Failures quote the log's tail; keep whole logs only when asked.
        if (_keepLogsVariable is null || Environment.GetEnvironmentVariable(_keepLogsVariable) is null or "")
        {
            File.Delete(LogPath);
        }
        return ValueTask.CompletedTask;
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CalSync.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("CalSync.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>
    /// A port (with <paramref name="count"/> - 1 more after it) nobody listens on, below the kernel's ephemeral range
    /// (32768 and up), as <c>scripts/services.sh</c> chooses: a port the kernel hands out for outgoing connections can be
    /// taken by one of the many the tests make between choosing it and a server binding it.
    /// </summary>
    public static int FreePort(int count = 1)
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var port = Random.Shared.Next(20000, 32000 - count);
            if (Enumerable.Range(port, count).All(CanListen))
            {
                return port;
            }
        }
        throw new InvalidOperationException("No free port between 20000 and 32000.");
    }

    private static bool CanListen(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string WorkerDll()
    {
        // Same configuration as the calling assembly: Debug under ./test.sh, Release under bench/run.sh.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(RepositoryRoot(), "src", "CalSync.Worker", "bin", configuration, "net10.0", "CalSync.Worker.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the worker first", dll);
    }
}
