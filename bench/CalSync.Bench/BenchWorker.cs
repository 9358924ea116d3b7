using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CalSync.Bench;

/// <summary>
/// A real worker process, <c>dotnet CalSync.Worker.dll</c> from the worker's own build output, configured
/// through the environment as an operator would (as the drills start theirs). Its output goes straight to
/// a log file, so the bench process spends no CPU on it.
/// </summary>
internal sealed class BenchWorker : IAsyncDisposable
{
    private readonly Process _process;

    private BenchWorker(Process process, Uri url, string logPath)
    {
        _process = process;
        Url = url;
        LogPath = logPath;
    }

    public Uri Url { get; }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public static BenchWorker Start(IReadOnlyDictionary<string, string> settings)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var dll = WorkerDll();
        var logPath = Path.Combine(Path.GetTempPath(), $"calsync-bench-worker-{Guid.NewGuid():N}.log");
        // exec: the shell becomes the worker, so its pid is the worker's and a signal reaches it.
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
        return new BenchWorker(process, url, logPath);
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200: the bus consumes and PostgreSQL answers.</summary>
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

    public string Tail() => File.Exists(LogPath) ? string.Join('\n', File.ReadLines(LogPath).TakeLast(40)) : "";

    /// <summary>Stops the worker as an operator would (SIGTERM, then its shutdown grace); kills it if it hangs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        if (Environment.GetEnvironmentVariable("CALSYNC_BENCH_KEEP_LOGS") is null or "")
        {
            File.Delete(LogPath);
        }
    }

    private static string WorkerDll()
    {
        // The worker's own output of the configuration this bench was built in (Release under bench/run.sh).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(RepositoryRoot(), "src", "CalSync.Worker", "bin", configuration, "net10.0", "CalSync.Worker.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the worker first", dll);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CalSync.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("CalSync.sln not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
