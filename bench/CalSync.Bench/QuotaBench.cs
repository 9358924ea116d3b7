using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CalSync.Testing;
using Dapper;

namespace CalSync.Bench;

/// <summary>
/// Google's quota, at full scale (one-minute windows), spent by real worker processes against the emulator.
/// Shared: three one-way syncs write into one Google account, drained by three workers, the emulator's quota and
/// CalSync's budget both 120 calls per minute. Lower: Google allows 60 a minute while CalSync is configured for
/// 600, one sync of many events. Per round: Google calls and refusals (in total and after the first minute), the
/// most calls in any sliding minute (the emulator's count), the database round trips the budget took, wall time.
/// Prints figures; asserts nothing.
/// </summary>
internal static class QuotaBench
{
    // Tomorrow, hourly: 500 events fit the sync window, as WorkersBench's do.
    private static DateTimeOffset Start => new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1);

    public static async Task RunAsync(int eventsPerSync, int lowerQuotaEvents, int latencyMs)
    {
        await using var google = await GoogleSandbox.StartAsync();
        using var admin = new HttpClient { BaseAddress = google.Emulator.BaseUri };
        Console.WriteLine($"Quota bench: emulator latency {latencyMs} ms per HTTP request; one-minute quota windows; " +
            $"{Environment.ProcessorCount} CPU cores shared by everything; load average {WorkersBench.LoadAverage()}.");
        Console.WriteLine(QuotaFigures.Header);
        // A count of 0 skips its round.
        if (eventsPerSync > 0)
        {
            Console.WriteLine((await RoundAsync("shared", google, admin, syncs: 3, eventsPerSync, workers: 3, quota: 120, budget: 120, latencyMs)).Row);
        }
        if (lowerQuotaEvents > 0)
        {
            Console.WriteLine((await RoundAsync("lower", google, admin, syncs: 1, lowerQuotaEvents, workers: 1, quota: 60, budget: 600, latencyMs)).Row);
        }
    }

    private static async Task<QuotaFigures> RoundAsync(
        string name, GoogleSandbox google, HttpClient admin, int syncs, int eventsPerSync, int workers, int quota, int budget, int latencyMs)
    {
        await PutFaultsAsync(admin, new { latencyMs = 0, quotaPerUserPerMinute = (int?)null }); // Setting up is not measured.
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        await using var broker = new TestVirtualHost();
        await broker.InitializeAsync();
        var sandbox = await google.CreateSyncsIntoOneAccountAsync(database.DataSource, syncs);
        var seeded = new List<IReadOnlyList<string>>();
        foreach (var sync in sandbox)
        {
            seeded.Add(await google.SeedEventsAsync(sync.SourceEmail, "primary", eventsPerSync, Start));
        }
        var shared = sandbox[0].TargetEmail;

        var publisher = await WorkersBench.StartPublisherAsync(broker);
        var settings = new Dictionary<string, string>(google.Settings)
        {
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Broker:Uri"] = broker.Uri.ToString(),
            ["Google:CallsPerWindow"] = budget.ToString(CultureInfo.InvariantCulture),
            ["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss.fff ",
        };
        var started = new List<WorkerProcess>();
        try
        {
            for (var i = 0; i < workers; i++)
            {
                var process = WorkerProcess.Start(settings, keepLogsVariable: "CALSYNC_BENCH_KEEP_LOGS");
                started.Add(process);
                await process.WaitReadyAsync();
            }
            await PutFaultsAsync(admin, new { latencyMs, quotaPerUserPerMinute = quota, quotaWindowSeconds = 60 });
            (await admin.PostAsync(new Uri("emulator/stats/reset", UriKind.Relative), null)).EnsureSuccessStatusCode();

            var clock = System.Diagnostics.Stopwatch.StartNew();
            await WorkersBench.TriggerAsync(database, publisher, sandbox.Select(s => s.SyncId));
            var firstMinute = FirstMinuteAsync(admin, shared);
            await WorkersBench.WaitFinishedAsync(database, syncs, started, TimeSpan.FromMinutes(30));
            var wall = clock.Elapsed;
            var end = await AccountStatsAsync(admin, shared);
            var atOneMinute = wall >= TimeSpan.FromMinutes(1) ? await firstMinute : end;

            await using var connection = await database.DataSource.OpenConnectionAsync();
            var succeeded = await connection.ExecuteScalarAsync<int>("select count(*) from runs where status = 'succeeded'");
            var roundTrips = await connection.ExecuteScalarAsync<long>("select coalesce(sum(round_trips), 0) from google_quota_accounts");
            var allCalls = await AllCallsAsync(admin);
            var attempts = await connection.QueryAsync<(string Status, int Attempts, string? Error)>("select status, attempts, error from runs");
            Console.WriteLine($"  {name} runs: {string.Join("; ", attempts.Select(a => $"{a.Status} after {a.Attempts} attempts {a.Error}"))}");
            await PutFaultsAsync(admin, new { quotaPerUserPerMinute = (int?)null }); // Reading the copies is not measured.
            var copiesOk = 0;
            for (var i = 0; i < sandbox.Count; i++)
            {
                var copies = await google.EventSummariesAsync(shared, sandbox[i].TargetCalendarId);
                var exact = copies.Order(StringComparer.Ordinal).SequenceEqual(seeded[i].Order(StringComparer.Ordinal));
                copiesOk += exact ? 1 : 0;
                if (!exact)
                {
                    Console.WriteLine($"  {name}: sync {i + 1} has {copies.Count} copies of {seeded[i].Count} events, {copies.Distinct().Count()} distinct");
                }
            }
            return new QuotaFigures(
                name, $"{syncs}x{eventsPerSync}", workers, quota, budget, wall, succeeded, copiesOk, syncs,
                end.Total, end.RateLimited, end.Total - atOneMinute.Total, end.RateLimited - atOneMinute.RateLimited,
                end.PeakPerQuotaWindow, allCalls, roundTrips);
        }
        finally
        {
            await Task.WhenAll(started.Select(w => w.StopAsync()));
            await Task.WhenAll(started.Select(w => w.DisposeAsync().AsTask()));
            await publisher.StopAsync();
        }
    }

    private static async Task<AccountStats> FirstMinuteAsync(HttpClient admin, string email)
    {
        await Task.Delay(TimeSpan.FromMinutes(1));
        return await AccountStatsAsync(admin, email);
    }

    private static async Task<AccountStats> AccountStatsAsync(HttpClient admin, string email)
    {
        var stats = await admin.GetFromJsonAsync<JsonObject>(new Uri("emulator/stats", UriKind.Relative));
        var account = stats!["accounts"]![email]!;
        return new AccountStats(account["total"]!.GetValue<int>(), account["rateLimited"]!.GetValue<int>(), account["peakPerQuotaWindow"]!.GetValue<int>());
    }

    /// <summary>Google calls of every account (batch parts one each): what the database round trips compare with.</summary>
    private static async Task<int> AllCallsAsync(HttpClient admin)
    {
        var stats = await admin.GetFromJsonAsync<JsonObject>(new Uri("emulator/stats", UriKind.Relative));
        return stats!["accounts"]!.AsObject().Sum(a => a.Value!["total"]!.GetValue<int>());
    }

    private static async Task PutFaultsAsync(HttpClient admin, object faults) =>
        (await admin.PutAsJsonAsync(new Uri("emulator/faults", UriKind.Relative), faults)).EnsureSuccessStatusCode();

    private sealed record AccountStats(int Total, int RateLimited, int PeakPerQuotaWindow);
}

/// <summary>One quota round's figures; calls, refusals and the peak are the shared account's, round trips and all calls every account's.</summary>
internal sealed record QuotaFigures(
    string Round, string Syncs, int Workers, int Quota, int Budget, TimeSpan Wall, int Succeeded, int CopiesOk, int SyncCount,
    int Calls, int Refused, int CallsAfterFirstMinute, int RefusedAfterFirstMinute, int PeakPerMinute, int AllCalls, long RoundTrips)
{
    public const string Header =
        "round   syncs x events  workers  quota/min  budget/min  wall time  runs ok  copies ok  calls  refused  after 1st min: refused/calls  peak/min  DB round trips / all calls";

    public string Row => string.Create(CultureInfo.InvariantCulture,
        $"{Round,-6}  {Syncs,14}  {Workers,7}  {Quota,9}  {Budget,10}  {Wall.TotalSeconds,7:F1} s  {Succeeded,3}/{SyncCount,-3}  {CopiesOk,5}/{SyncCount,-3}  " +
        $"{Calls,5}  {Refused,7}  {RefusedAfterFirstMinute,14}/{CallsAfterFirstMinute,-5} ({Percent(RefusedAfterFirstMinute, CallsAfterFirstMinute)})  " +
        $"{PeakPerMinute,8}  {RoundTrips,10} / {AllCalls} ({Percent(RoundTrips, AllCalls)})");

    private static string Percent(long part, long whole) =>
        whole == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:F1} %");
}
