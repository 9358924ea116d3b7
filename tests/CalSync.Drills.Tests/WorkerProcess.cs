using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CalSync.Drills.Tests;

/// <summary>
/// A real worker: <c>dotnet CalSync.Worker.dll</c> from the worker's own build output, configured through
/// the environment as an operator would, with its output kept in a log file for when a drill fails.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private WorkerProcess(Process process, StreamWriter log, Uri url, string logPath)
    {
        _process = process;
        _log = log;
        Url = url;
        LogPath = logPath;
    }

    public Uri Url { get; }

    public string LogPath { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static WorkerProcess Start(IReadOnlyDictionary<string, string> settings)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet", [WorkerDll()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(WorkerDll())!,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = url.ToString();
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var logPath = Path.Combine(Path.GetTempPath(), $"calsync-drill-worker-{Guid.NewGuid():N}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerProcess(process, log, url, logPath);
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200 (the bus consumes and PostgreSQL answers).</summary>
    public async Task WaitReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Worker exited while starting; log: {LogPath}\n{Tail()}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(Url, "/health/ready"), deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
            {
                // One slow answer.
            }
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Worker not ready; log: {LogPath}\n{Tail()}");
            }
            await Task.Delay(200, CancellationToken.None);
        }
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

    public string Tail() => File.Exists(LogPath) ? string.Join('\n', File.ReadLines(LogPath).TakeLast(40)) : "";

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
        // Failures quote the log's tail; keep whole logs only when asked.
        if (Environment.GetEnvironmentVariable("CALSYNC_DRILL_KEEP_LOGS") is null or "")
        {
            File.Delete(LogPath);
        }
        return ValueTask.CompletedTask;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The drill is over.
            }
        }
    }

    private static string WorkerDll()
    {
        var dir = new DirectoryInfo(RepositoryRoot());
        // Same configuration as this test assembly (Debug under ./test.sh).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(dir.FullName, "src", "CalSync.Worker", "bin", configuration, "net10.0", "CalSync.Worker.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the worker first", dll);
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
