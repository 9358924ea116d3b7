extern alias api;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using CalSync.Testing;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace CalSync.Bench;

/// <summary>
/// Server time of every dashboard page for one person with many syncs and runs: the Api in process (TestServer, so no
/// network is timed: from sending the request to the last byte of the page), a fresh database filled straight with
/// SQL, the in-process emulator behind the new-sync form. Prints min / median / p95 per page; asserts nothing.
/// </summary>
internal static class DashboardBench
{
    private const int ChangesPerRun = 5;
    private const int ChangesOfTheBigRun = 500;

    public static async Task RunAsync(int syncs, int runs, int requests)
    {
        await using var google = await GoogleSandbox.StartAsync();
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        await using var broker = new TestVirtualHost();
        await broker.InitializeAsync();
        await using var factory = new WebApplicationFactory<api::Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in google.Settings)
            {
                web.UseSetting(key, value);
            }
            web.UseSetting("Database:ConnectionString", database.ConnectionString);
            web.UseSetting("Broker:Uri", broker.Uri.ToString());
            web.UseEnvironment("Production");
            // The Api's own logs would bury the figures.
            web.ConfigureLogging(logging => logging.ClearProviders());
        });
        using var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        var me = $"bench-{Guid.NewGuid():N}@example.com";
        var work = $"bench-work-{Guid.NewGuid():N}@example.com";
        google.Emulator.CreateAccount(me, "Bench Person");
        google.Emulator.CreateAccount(work, "Bench Person");
        await FollowGoogleAsync(browser, $"/auth/login?login_hint={Uri.EscapeDataString(me)}");
        await FollowGoogleAsync(browser, $"/api/accounts/connect?login_hint={Uri.EscapeDataString(work)}");
        for (var i = 0; i < 5; i++)
        {
            using var token = await browser.PostAsync("/api/tokens", new StringContent($"{{\"name\":\"bench {i}\"}}", System.Text.Encoding.UTF8, "application/json"));
            token.EnsureSuccessStatusCode();
        }

        var fill = Stopwatch.StartNew();
        var (syncId, runId) = await FillAsync(database, me, syncs, runs);
        Console.WriteLine($"Dashboard bench: one person, {syncs} syncs, {runs} runs ({ChangesPerRun} changes each; the timed run has {ChangesOfTheBigRun}), " +
                          $"2 connected accounts, 5 access tokens; filled in {fill.Elapsed.TotalSeconds:F1} s. {requests} requests per page after 3 to warm up; " +
                          $"{Environment.ProcessorCount} CPU cores; times in ms, in process (no network).");
        Console.WriteLine($"{"Page",-34} {"min",8} {"median",8} {"p95",8}");
        var pages = new (string Name, string Path)[]
        {
            ("syncs list", "/syncs"),
            ("a sync's history", $"/syncs/{syncId}/runs"),
            ("a sync's history, older page", $"/syncs/{syncId}/runs?before={await OlderCursorAsync(browser, syncId)}"),
            ("a run and its changes", $"/runs/{runId}"),
            ("a run's live panel", $"/runs/{runId}?handler=Panel"),
            ("accounts", "/accounts"),
            ("access tokens", "/tokens"),
            ("new-sync form", "/syncs/new"),
            ("edit a sync", $"/syncs/{syncId}/edit"),
        };
        foreach (var (name, path) in pages)
        {
            var times = await TimeAsync(browser, path, requests);
            Console.WriteLine($"{name,-34} {Ms(times[0]),8} {Ms(Percentile(times, 0.5)),8} {Ms(Percentile(times, 0.95)),8}");
        }
    }

    /// <summary>Signs in (or connects an account) as the browser would: the Api sends it to Google, Google straight back.</summary>
    private static async Task FollowGoogleAsync(HttpClient browser, string start)
    {
        using var login = await browser.GetAsync(start);
        using var google = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var consent = await google.GetAsync(login.Headers.Location!);
        using var callback = await browser.GetAsync(consent.Headers.Location!.PathAndQuery);
        if (callback.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in at {start} ended with {(int)callback.StatusCode}.");
        }
    }

    /// <summary>Syncs between the person's two primary calendars (half on a schedule), runs spread evenly over them and back in time, their changes.</summary>
    private static async Task<(Guid SyncId, Guid RunId)> FillAsync(TestDatabase database, string me, int syncs, int runs)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            insert into syncs (id, user_id, name, a_account_id, a_calendar_id, b_account_id, b_calendar_id, direction, cron, time_zone, created_at, updated_at)
            select gen_random_uuid(), u.id, 'Sync ' || n, a.id, 'primary', b.id, 'primary',
                   case when n % 2 = 0 then 'two-way' else 'one-way' end,
                   case when n % 2 = 0 then '*/15 * * * *' end, case when n % 2 = 0 then 'Europe/Zurich' end,
                   now() - interval '30 days', now() - interval '30 days'
            from users u
            join google_accounts a on a.user_id = u.id and a.email = u.email
            join google_accounts b on b.user_id = u.id and b.email <> u.email
            cross join generate_series(1, @syncs) n
            where u.email = @me
            """, new { me, syncs });
        await connection.ExecuteAsync(
            """
            with s as (select id, row_number() over (order by id) - 1 as i, count(*) over () as total from syncs
                       where user_id = (select id from users where email = @me))
            insert into runs (id, sync_id, trigger, status, created, updated, deleted, skipped, api_calls, error, attempts, queued_at, started_at, finished_at)
            select gen_random_uuid(), s.id, case when n % 7 = 0 then 'manual' else 'schedule' end,
                   case when n % 25 = 0 then 'failed' else 'succeeded' end, n % 4, n % 3, n % 2, 0, 3,
                   case when n % 25 = 0 then 'Google Calendar calendar.events.list failed: 404 notFound: Not Found' end, 1,
                   now() - n * interval '15 minutes', now() - n * interval '15 minutes' + interval '1 second',
                   now() - n * interval '15 minutes' + interval '3 seconds'
            from generate_series(1, @runs) n join s on s.i = n % s.total
            """, new { me, runs });
        await connection.ExecuteAsync(
            $"""
            insert into run_changes (run_id, action, side, origin_event_id, copy_event_id, summary, reason, created_at)
            select r.id, (array['create', 'update', 'delete', 'skip'])[1 + c % 4], case when c % 2 = 0 then 'A' else 'B' end,
                   'origin' || c, 'copy' || c, 'Event ' || c, 'new event', r.finished_at
            from runs r cross join generate_series(1, {ChangesPerRun}) c
            where r.sync_id in (select id from syncs where user_id = (select id from users where email = @me))
            """, new { me });
        var syncId = await connection.ExecuteScalarAsync<Guid>(
            "select id from syncs where user_id = (select id from users where email = @me) order by name limit 1", new { me });
        var runId = await connection.ExecuteScalarAsync<Guid>(
            "select id from runs where sync_id = @syncId and status = 'succeeded' order by queued_at desc limit 1", new { syncId });
        await connection.ExecuteAsync(
            $"""
            insert into run_changes (run_id, action, side, origin_event_id, copy_event_id, summary, reason, created_at)
            select @runId, 'create', 'B', 'big' || c, 'bigcopy' || c, 'Big event ' || c, 'new event', now()
            from generate_series(1, {ChangesOfTheBigRun - ChangesPerRun}) c
            """, new { runId });
        await connection.ExecuteAsync("analyze syncs, runs, run_changes");
        return (syncId, runId);
    }

    /// <summary>The history's "Older runs" link, to time a page further back.</summary>
    private static async Task<string> OlderCursorAsync(HttpClient browser, Guid syncId)
    {
        var html = await browser.GetStringAsync($"/syncs/{syncId}/runs");
        var at = html.IndexOf("runs?before=", StringComparison.Ordinal);
        if (at < 0)
        {
            return "";
        }
        var start = at + "runs?before=".Length;
        return WebUtility.HtmlDecode(html[start..html.IndexOf('"', start)]);
    }

    private static async Task<List<TimeSpan>> TimeAsync(HttpClient browser, string path, int requests)
    {
        var times = new List<TimeSpan>(requests);
        for (var i = 0; i < requests + 3; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await browser.GetAsync(path);
            _ = await response.Content.ReadAsByteArrayAsync();
            watch.Stop();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}.");
            }
            if (i >= 3)
            {
                times.Add(watch.Elapsed);
            }
        }
        times.Sort();
        return times;
    }

    private static TimeSpan Percentile(List<TimeSpan> sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture);
}
