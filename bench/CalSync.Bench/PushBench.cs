using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalSync.Testing;
using Dapper;

namespace CalSync.Bench;

/// <summary>
/// Push end to end at scale: two-way syncs watched through the real Api's webhook and drained by real worker
/// processes, the emulator (in this process) at a fixed latency per request. A driver edits random events at
/// the emulator at a steady rate, each event at most once, so each copy's last write is the one that edit
/// caused. Latency is measured on the emulator's clock: the edit's <c>updated</c> to its copy's. Google calls
/// per change are the emulator's counts less the driver's own edits; runs per change from the runs table.
/// Prints figures; asserts nothing.
/// </summary>
internal static class PushBench
{
    private static DateTimeOffset Start => new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1);

    public static async Task RunAsync(int syncs, int seconds, int editsPerSecond, int latencyMs, int workers)
    {
        var edits = seconds * editsPerSecond;
        // Originals on both sides of every sync, enough that no event is edited twice.
        var perSide = Math.Max(1, (edits + 2 * syncs - 1) / (2 * syncs) + 1);
        Console.WriteLine($"Push bench: {syncs} two-way syncs ({perSide} events on each side), {workers} worker processes, the Api's webhook; " +
            $"{editsPerSecond} edits/s for {seconds} s at the emulator ({edits} edits, each event once); emulator latency {latencyMs} ms per HTTP request; " +
            $"{Environment.ProcessorCount} CPU cores shared by everything; load average {WorkersBench.LoadAverage()}.");
        Console.WriteLine($"Settings: {Setting("Webhooks__Debounce", "00:00:00.250")}, {Setting("Google__ProjectCallsPerWindow", "10000")}; " +
            "everything else at its default.");

        await using var google = await GoogleSandbox.StartAsync();
        using var admin = new HttpClient { BaseAddress = google.Emulator.BaseUri };
        await PutFaultsAsync(admin, new { latencyMs = 0 });
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        await using var broker = new TestVirtualHost();
        await broker.InitializeAsync();

        var clock = Stopwatch.StartNew();
        var sandbox = new SandboxSync[syncs];
        for (var i = 0; i < syncs; i++)
        {
            sandbox[i] = await google.CreateSyncAsync(database.DataSource, "two-way");
        }
        var originals = new List<Original>();
        await Parallel.ForEachAsync(sandbox, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (sync, _) =>
        {
            var mine = new List<Original>();
            foreach (var (owner, other) in new[] { (sync.SourceEmail, sync.TargetEmail), (sync.TargetEmail, sync.SourceEmail) })
            {
                for (var e = 0; e < perSide; e++)
                {
                    var created = JsonNode.Parse(await google.CallAsApiAsync(owner, HttpMethod.Post, "calendar/v3/calendars/primary/events",
                        EventJson($"seed {Guid.NewGuid():N}", Start.AddHours(e))))!;
                    mine.Add(new Original(sync.SyncId, owner, other, created["id"]!.GetValue<string>()));
                }
            }
            lock (originals)
            {
                originals.AddRange(mine);
            }
        });
        Console.WriteLine($"Set up {syncs} syncs and {originals.Count} events in {clock.Elapsed.TotalSeconds:F0} s.");

        var publisher = await WorkersBench.StartPublisherAsync(broker);
        var apiPort = WorkerProcess.FreePort();
        var apiUrl = new Uri($"http://127.0.0.1:{apiPort}/");
        var settings = new Dictionary<string, string>(google.Settings)
        {
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Broker:Uri"] = broker.Uri.ToString(),
            ["Webhooks:PublicUrl"] = apiUrl.ToString(),
            ["Webhooks:ReconcileInterval"] = "00:00:00.500",
            ["Webhooks:MaxWatchesPerRound"] = "500",
        };
        await using var api = ApiProcess.Start(settings, apiUrl);
        var started = new List<WorkerProcess>();
        try
        {
            await api.WaitReadyAsync();
            for (var i = 0; i < workers; i++)
            {
                var process = WorkerProcess.Start(settings, keepLogsVariable: "CALSYNC_BENCH_KEEP_LOGS");
                started.Add(process);
                await process.WaitReadyAsync();
            }

            // Each sync's first run copies the seeded events; their echoes are over once nothing is queued for a while.
            await WorkersBench.TriggerAsync(database, publisher, sandbox.Select(s => s.SyncId));
            await WorkersBench.WaitFinishedAsync(database, syncs, started);
            await WaitChannelsAsync(database, 2 * syncs);
            await WaitQuietAsync(database, TimeSpan.FromSeconds(3));
            Console.WriteLine($"First runs done and {2 * syncs} calendars watched after {clock.Elapsed.TotalSeconds:F0} s.");

            await PutFaultsAsync(admin, new { latencyMs });
            (await admin.PostAsync(new Uri("emulator/stats/reset", UriKind.Relative), null)).EnsureSuccessStatusCode();
            var measuredFrom = TimeProvider.System.GetUtcNow();
            var load = WorkersBench.LoadAverage().Split(' ')[0];

            var made = await DriveAsync(google, originals, edits, editsPerSecond);
            // The runs the last edits caused (and their echoes) finish; a copy not there by then is missing.
            await WaitQuietAsync(database, TimeSpan.FromSeconds(3));
            var stats = await admin.GetFromJsonAsync<JsonObject>(new Uri("emulator/stats", UriKind.Relative));
            await PutFaultsAsync(admin, new { latencyMs = 0 }); // Reading the copies is not measured.

            var landed = await CopiesAsync(google, made);
            var latencies = made.Where(m => landed.ContainsKey(m.Summary)).Select(m => landed[m.Summary] - m.Updated).Order().ToList();
            await using var connection = await database.DataSource.OpenConnectionAsync();
            var runs = (await connection.QueryAsync<(string Trigger, string Status, string Listed, int Calls)>(
                "select trigger, status, coalesce(notified_sides, 'ab'), api_calls from runs where queued_at >= @measuredFrom", new { measuredFrom })).ToList();
            var waits = (await connection.QueryAsync<(TimeSpan Queued, TimeSpan Running)>(
                "select started_at - queued_at, finished_at - started_at from runs where queued_at >= @measuredFrom and finished_at is not null",
                new { measuredFrom })).ToList();
            var retried = (await connection.QueryAsync<(string Outcome, string? Error)>(
                """
                select a.outcome, a.error from run_attempts a join runs r on r.id = a.run_id
                where r.queued_at >= @measuredFrom and a.outcome <> 'succeeded'
                """, new { measuredFrom })).ToList();
            var methods = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var account in stats!["accounts"]!.AsObject())
            {
                foreach (var method in account.Value!["byMethod"]!.AsObject())
                {
                    methods[method.Key] = methods.GetValueOrDefault(method.Key) + method.Value!.GetValue<int>();
                }
            }
            // The driver's edits are patches; the rest is CalSync's.
            methods["calendar.events.patch"] -= made.Count;
            var calls = methods.Values.Sum();

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Edits made {made.Count}; copies landed {latencies.Count}; missing {made.Count - latencies.Count}; load at start {load}."));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Edit → copy at the emulator: p50 {Percentile(latencies, 0.50)} s, p95 {Percentile(latencies, 0.95)} s, p99 {Percentile(latencies, 0.99)} s, max {Percentile(latencies, 1)} s."));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Runs: {runs.Count} ({(double)runs.Count / made.Count:F2} per change; {string.Join(", ", runs.GroupBy(r => $"{r.Trigger} {r.Status}").Select(g => $"{g.Key}: {g.Count()}"))}; " +
                $"by calendars listed: {string.Join(", ", runs.GroupBy(r => r.Listed).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()} runs, {g.Sum(r => r.Calls)} calls"))})."));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Runs' queue wait p50/p95/max {Percentile([.. waits.Select(w => w.Queued).Order()], 0.5)}/{Percentile([.. waits.Select(w => w.Queued).Order()], 0.95)}/{Percentile([.. waits.Select(w => w.Queued).Order()], 1)} s, " +
                $"run time p50/p95/max {Percentile([.. waits.Select(w => w.Running).Order()], 0.5)}/{Percentile([.. waits.Select(w => w.Running).Order()], 0.95)}/{Percentile([.. waits.Select(w => w.Running).Order()], 1)} s; " +
                $"attempts not succeeded: {retried.Count} ({string.Join("; ", retried.GroupBy(r => $"{r.Outcome}: {r.Error}").Select(g => $"{g.Count()}x {g.Key}"))})."));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Google calls by CalSync: {calls} ({(double)calls / made.Count:F2} per change; {string.Join(", ", methods.Where(m => m.Value != 0).Select(m => $"{m.Key} {m.Value}"))})."));
        }
        finally
        {
            await Task.WhenAll(started.Select(w => w.StopAsync()));
            await Task.WhenAll(started.Select(w => w.DisposeAsync().AsTask()));
            await publisher.StopAsync();
        }
    }

    /// <summary>An event the driver may edit: its calendar's owner, and the account whose calendar holds its copy.</summary>
    private sealed record Original(Guid SyncId, string Owner, string CopyOwner, string EventId);

    /// <summary>An edit made: the summary it set, and when the emulator stored it.</summary>
    private sealed record Edit(Original Event, string Summary, DateTimeOffset Updated);

    /// <summary>Edits at a steady rate: edit n starts at n / rate seconds, whether or not earlier ones have answered.</summary>
    private static async Task<List<Edit>> DriveAsync(GoogleSandbox google, List<Original> originals, int edits, int perSecond)
    {
        var order = originals.OrderBy(_ => Random.Shared.Next()).Take(edits).ToList();
        var clock = Stopwatch.StartNew();
        var pending = new List<Task<Edit>>();
        for (var n = 0; n < order.Count; n++)
        {
            var due = TimeSpan.FromSeconds((double)n / perSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }
            var original = order[n];
            var summary = $"edit {n} {Guid.NewGuid():N}";
            pending.Add(Task.Run(async () =>
            {
                var answer = JsonNode.Parse(await google.CallAsApiAsync(original.Owner, HttpMethod.Patch,
                    $"calendar/v3/calendars/primary/events/{original.EventId}", JsonSerializer.Serialize(new { summary })))!;
                return new Edit(original, summary, DateTimeOffset.Parse(answer["updated"]!.GetValue<string>(), CultureInfo.InvariantCulture));
            }));
        }
        return [.. await Task.WhenAll(pending)];
    }

    /// <summary>
    /// Copies by summary, with their <c>updated</c>: the moment CalSync last wrote each. A copy lives in the calendar
    /// of the other side, beside that calendar's own originals (which the driver edits too): those are left out.
    /// </summary>
    private static async Task<Dictionary<string, DateTimeOffset>> CopiesAsync(GoogleSandbox google, List<Edit> made)
    {
        var originals = made.Select(m => m.Event.EventId).ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var owner in made.Select(m => m.Event.CopyOwner).Distinct())
        {
            var page = JsonNode.Parse(await google.CallAsApiAsync(owner, HttpMethod.Get, "calendar/v3/calendars/primary/events?maxResults=2500"))!;
            foreach (var e in page["items"]!.AsArray())
            {
                if (e!["summary"]?.GetValue<string>() is { } summary && summary.StartsWith("edit ", StringComparison.Ordinal)
                    && !originals.Contains(e["id"]!.GetValue<string>()))
                {
                    found[summary] = DateTimeOffset.Parse(e["updated"]!.GetValue<string>(), CultureInfo.InvariantCulture);
                }
            }
        }
        return found;
    }

    private static async Task WaitChannelsAsync(TestDatabase database, int calendars)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        while (await connection.ExecuteScalarAsync<int>("select count(*) from watch_channels where status = 'active'") < calendars)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException("The calendars were not all watched within 2 minutes.");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Until no run has been queued or running for <paramref name="quiet"/>.</summary>
    private static async Task WaitQuietAsync(TestDatabase database, TimeSpan quiet)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var calm = Stopwatch.StartNew();
        var clock = Stopwatch.StartNew();
        while (calm.Elapsed < quiet && clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(200);
            if (await connection.ExecuteScalarAsync<int>("select count(*) from runs where status in ('queued', 'running')") > 0)
            {
                calm.Restart();
            }
        }
    }

    private static string Percentile(List<TimeSpan> sorted, double p) =>
        sorted.Count == 0 ? "-" : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)].TotalSeconds.ToString("F2", CultureInfo.InvariantCulture);

    private static string EventJson(string summary, DateTimeOffset start) => JsonSerializer.Serialize(new
    {
        summary,
        start = new { dateTime = start.ToString("O", CultureInfo.InvariantCulture), timeZone = "UTC" },
        end = new { dateTime = start.AddMinutes(30).ToString("O", CultureInfo.InvariantCulture), timeZone = "UTC" },
    });

    private static async Task PutFaultsAsync(HttpClient admin, object faults) =>
        (await admin.PutAsJsonAsync(new Uri("emulator/faults", UriKind.Relative), faults)).EnsureSuccessStatusCode();

    private static string Setting(string variable, string fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? $"{variable}={value} (from the environment)" : $"{variable}={fallback} (default)";

    /// <summary>The Api as its own process (<c>dotnet CalSync.Api.dll</c> from its Release output), as an operator runs it.</summary>
    private sealed class ApiProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Uri _url;
        private readonly string _log;

        private ApiProcess(Process process, Uri url, string log) => (_process, _url, _log) = (process, url, log);

        public static ApiProcess Start(IReadOnlyDictionary<string, string> settings, Uri url)
        {
            var dll = Path.Combine(WorkerProcess.RepositoryRoot(), "src", "CalSync.Api", "bin", "Release", "net10.0", "CalSync.Api.dll");
            var log = Path.Combine(Path.GetTempPath(), $"calsync-api-{Guid.NewGuid():N}.log");
            var start = new ProcessStartInfo("bash", ["-c", "exec dotnet \"$0\" >\"$1\" 2>&1", dll, log])
            {
                UseShellExecute = false,
                WorkingDirectory = Path.GetDirectoryName(dll)!,
            };
            start.Environment["DOTNET_ENVIRONMENT"] = "Production";
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Urls"] = url.ToString();
            start.Environment["Management__Urls"] = "";
            foreach (var (key, value) in settings)
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
            return new ApiProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), url, log);
        }

        public async Task WaitReadyAsync()
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(120))
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The Api exited while starting; log: {_log}\n{File.ReadAllText(_log)}");
                }
                try
                {
                    using var response = await http.GetAsync(new Uri(_url, "/health/ready"));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet.
                }
                await Task.Delay(200);
            }
            throw new TimeoutException($"The Api was not ready within 120 s; log: {_log}");
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
            if (Environment.GetEnvironmentVariable("CALSYNC_BENCH_KEEP_LOGS") is null or "")
            {
                File.Delete(_log);
            }
        }
    }
}
