using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;
using CalSync.Testing;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CalSync.Bench;

/// <summary>
/// An initial one-way sync of N events, then a run with nothing changed and a run with 10 changes,
/// against the emulator with a fixed latency per HTTP request; prints HTTP requests, quota units
/// (Google calls, batch parts counted) and wall time per run.
/// </summary>
internal static class EngineBench
{
    public static async Task RunAsync(int events, int latencyMs, int changes)
    {
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        await using var google = await GoogleSandbox.StartAsync();
        using var admin = new HttpClient { BaseAddress = google.Emulator.BaseUri };

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(google.Settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)));
        // The limiter paces a real deployment under Google's quota; the bench measures the engine, not the pacing.
        builder.Configuration["Google:CallsPerWindow"] = "1000000";
        builder.Configuration["Google:ProjectCallsPerWindow"] = "10000000";
        builder.Services.AddSingleton(database.DataSource);
        AddSyncRunner(builder);
        using var host = builder.Build();
        await host.StartAsync();

        var sandbox = await google.CreateSyncAsync(host.Services, database.DataSource);
        var sync = (await host.Services.GetRequiredService<SyncStore>().GetDefinitionAsync(sandbox.SyncId, CancellationToken.None))!;
        var source = host.Services.GetRequiredService<GoogleCalendarClientFactory>().ForAccount(sync.A.AccountId);
        var target = host.Services.GetRequiredService<GoogleCalendarClientFactory>().ForAccount(sync.B.AccountId);
        var ids = await SeedAsync(source, events);
        Console.WriteLine($"Seeded {events} events; emulator latency {latencyMs} ms per HTTP request.");
        (await admin.PutAsJsonAsync("emulator/faults", new { latencyMs })).EnsureSuccessStatusCode();

        var runner = host.Services.GetRequiredService<SyncRunner>();
        var a = new GoogleCalendarSide(source, sync.A.CalendarId);
        var b = new GoogleCalendarSide(target, sync.B.CalendarId);
        Console.WriteLine($"{"run",-22} {"created",8} {"updated",8} {"HTTP requests",14} {"quota units",12} {"wall time",10}");
        await MeasureAsync($"initial ({events})", runner, sync, a, b, admin, database);
        // The first run after the initial sync reads its own 5,000 writes back in the target's change feed.
        await MeasureAsync("next (own writes)", runner, sync, a, b, admin, database);
        await MeasureAsync("no change", runner, sync, a, b, admin, database);
        foreach (var id in ids.Take(changes))
        {
            await source.PatchEventAsync("primary", id, new EventPatch { Changes = new GoogleEvent { Summary = "changed" } }, null, CancellationToken.None);
        }
        await MeasureAsync($"{changes} changed", runner, sync, a, b, admin, database);
        await host.StopAsync();
    }

    /// <summary>
    /// A first two-way sync of N events on each side, the two calendars belonging to two Google accounts, with
    /// the rate limiter pacing each account at Google's 600 calls a minute: each side's copies are N quota units
    /// of its own account, so the two sides' writes can go at once. Prints the run's wall time and each account's calls.
    /// </summary>
    public static async Task RunTwoWayAsync(int events, int latencyMs)
    {
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        await using var google = await GoogleSandbox.StartAsync();
        using var admin = new HttpClient { BaseAddress = google.Emulator.BaseUri };

        // Seeding is not measured: it goes through a host of its own whose limiter does not pace.
        using var seeder = await StartHostAsync(google, database, callsPerWindow: 1_000_000);
        using var host = await StartHostAsync(google, database, callsPerWindow: 600);
        var sandbox = await google.CreateSyncAsync(host.Services, database.DataSource, "two-way");
        var sync = (await host.Services.GetRequiredService<SyncStore>().GetDefinitionAsync(sandbox.SyncId, CancellationToken.None))!;
        var seeding = seeder.Services.GetRequiredService<GoogleCalendarClientFactory>();
        await SeedAsync(seeding.ForAccount(sync.A.AccountId), events, "a");
        await SeedAsync(seeding.ForAccount(sync.B.AccountId), events, "b");
        await seeder.StopAsync();
        Console.WriteLine($"Seeded {events} + {events} events in two accounts; emulator latency {latencyMs} ms per HTTP request; limiter 600 calls a minute per account.");
        (await admin.PutAsJsonAsync("emulator/faults", new { latencyMs })).EnsureSuccessStatusCode();
        (await admin.PostAsync("emulator/stats/reset", null)).EnsureSuccessStatusCode();

        var clients = host.Services.GetRequiredService<GoogleCalendarClientFactory>();
        var a = new GoogleCalendarSide(clients.ForAccount(sync.A.AccountId), sync.A.CalendarId);
        var b = new GoogleCalendarSide(clients.ForAccount(sync.B.AccountId), sync.B.CalendarId);
        var runId = Guid.NewGuid();
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("insert into runs (id, sync_id, trigger, status, queued_at) values (@runId, @Id, 'manual', 'running', now())", new { runId, sync.Id });
        }
        var clock = Stopwatch.StartNew();
        var outcome = await host.Services.GetRequiredService<SyncRunner>().RunAsync(runId, sync, a, b, new RunFlags(), CancellationToken.None);
        clock.Stop();

        using var stats = JsonDocument.Parse(await admin.GetStringAsync("emulator/stats"));
        var accounts = stats.RootElement.GetProperty("accounts");
        Console.WriteLine($"{"run",-26} {"created",8} {"A requests",11} {"A units",8} {"B requests",11} {"B units",8} {"wall time",10}");
        var (onA, onB) = (accounts.GetProperty(sandbox.SourceEmail), accounts.GetProperty(sandbox.TargetEmail));
        Console.WriteLine(
            $"{$"two-way initial ({events}+{events})",-26} {outcome.Created,8} {onA.GetProperty("httpRequests").GetInt32(),11} {onA.GetProperty("total").GetInt32(),8} " +
            $"{onB.GetProperty("httpRequests").GetInt32(),11} {onB.GetProperty("total").GetInt32(),8} {clock.Elapsed.TotalSeconds,9:F2}s");
        await host.StopAsync();
    }

    /// <summary>The sync runner with the Google client it talks through, as a worker registers them, without the run queue around it.</summary>
    private static void AddSyncRunner(HostApplicationBuilder builder)
    {
        builder.AddGoogleCalendar();
        builder.Services.AddSingleton(Options.Create(new SyncEngineOptions()));
        builder.Services.AddSingleton<SyncStateStore>();
        builder.Services.AddSingleton<SyncStore>();
        builder.Services.AddSingleton<CopyRemover>();
        builder.Services.AddSingleton<SyncRunner>();
    }

    private static async Task<IHost> StartHostAsync(GoogleSandbox google, TestDatabase database, int callsPerWindow)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(google.Settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)));
        builder.Configuration["Google:CallsPerWindow"] = callsPerWindow.ToString(CultureInfo.InvariantCulture);
        builder.Services.AddSingleton(database.DataSource);
        AddSyncRunner(builder);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<List<string>> SeedAsync(GoogleCalendarClient source, int events, string prefix = "")
    {
        var start = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        var operations = Enumerable.Range(0, events).Select(i => CalendarOperation.InsertEvent("primary", new GoogleEvent
        {
            Id = $"bench{prefix}{i:d6}",
            Summary = $"Event {prefix}{i}",
            Start = EventDateTime.At(start.AddMinutes(15 * i), "Europe/Berlin"),
            End = EventDateTime.At(start.AddMinutes(15 * i + 10), "Europe/Berlin"),
        })).ToList();
        var results = await source.ExecuteBatchAsync(operations, CancellationToken.None);
        return [.. results.Where(r => r.Succeeded).Select(r => r.Event!.Id!)];
    }

    private static async Task MeasureAsync(string name, SyncRunner runner, SyncDefinition sync, ICalendarSide a, ICalendarSide b, HttpClient admin, TestDatabase database)
    {
        (await admin.PostAsync("emulator/stats/reset", null)).EnsureSuccessStatusCode();
        var runId = Guid.NewGuid();
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("insert into runs (id, sync_id, trigger, status, queued_at) values (@runId, @Id, 'manual', 'running', now())", new { runId, sync.Id });
        }
        var clock = Stopwatch.StartNew();
        var outcome = await runner.RunAsync(runId, sync, a, b, new RunFlags(), CancellationToken.None);
        clock.Stop();
        using var stats = JsonDocument.Parse(await admin.GetStringAsync("emulator/stats"));
        var (requests, units) = (0, 0);
        foreach (var account in stats.RootElement.GetProperty("accounts").EnumerateObject())
        {
            requests += account.Value.GetProperty("httpRequests").GetInt32();
            units += account.Value.GetProperty("total").GetInt32();
        }
        Console.WriteLine($"{name,-22} {outcome.Created,8} {outcome.Updated,8} {requests,14} {units,12} {clock.Elapsed.TotalSeconds,9:F2}s");
    }
}
