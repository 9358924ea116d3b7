using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CalSync.Testing;

namespace CalSync.Drills.Tests;

/// <summary>
/// Three worker processes, one Google account's quota between them. Google's one-minute window is scaled down to
/// five seconds on both sides (the emulator's quotaWindowSeconds and CalSync's Google:RateLimitWindow); CalSync's
/// budget is 60 calls per window, the emulator's quota whatever a drill sets. Batches of at most 10 parts keep a
/// batch well below a window's budget, as 50 parts are below Google's 600. Workers log with timestamps
/// (CALSYNC_DRILL_KEEP_LOGS=1 keeps the logs), so refusals and the budgets they led to can be followed.
/// </summary>
public sealed class QuotaDrillFixture : DrillFixture
{
    public const int Budget = 60;
    public const int WindowSeconds = 5;

    protected override Dictionary<string, string> WorkerSettings
    {
        get
        {
            var settings = base.WorkerSettings;
            settings["Google:CallsPerWindow"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Google:RateLimitWindow"] = TimeSpan.FromSeconds(WindowSeconds).ToString();
            settings["Google:MaxBatchSize"] = "10";
            // Two fifths of the window for delays between leasing a permit and the call reaching the emulator: drills
            // share a small machine with the other test projects, where a process may stall for a second. (At Google's
            // minute the default margin is 3 s; it is the window scaled down that makes a stall weigh this much.)
            settings["Google:RateLimitMargin"] = "00:00:02";
            settings["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss.fff ";
            return settings;
        }
    }

    private int _workers;

    /// <summary>Starts workers until <paramref name="count"/> run: the drills (one after another, as one class) share them.</summary>
    public async Task EnsureWorkersAsync(int count)
    {
        for (; _workers < count; _workers++)
        {
            await StartWorkerAsync();
        }
    }
}

public sealed class QuotaDrill(QuotaDrillFixture fixture) : IClassFixture<QuotaDrillFixture>
{
    private const int Workers = 3;
    // Tomorrow, hourly: every event lies inside the sync window.
    private static DateTimeOffset Start => new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1);

    [Fact]
    public async Task Three_syncs_into_one_account_drained_by_three_workers_never_exceed_its_quota()
    {
        var syncs = await SeededSyncsAsync(eventsPerSync: 40);
        await SetFaultsAsync(new { quotaPerUserPerMinute = QuotaDrillFixture.Budget, quotaWindowSeconds = QuotaDrillFixture.WindowSeconds });
        await fixture.EnsureWorkersAsync(Workers);

        foreach (var sync in syncs)
        {
            await fixture.TriggerAsync(sync.Sync.SyncId);
        }
        await Invariants.AllRunsFinishAsync(fixture.Database.DataSource, [.. syncs.Select(s => s.Sync.SyncId)]);

        var shared = await StatsAsync(syncs[0].Sync.TargetEmail);
        Assert.True(shared.RateLimited == 0, $"{shared}");
        Assert.InRange(shared.PeakPerQuotaWindow, 1, QuotaDrillFixture.Budget);
        // 120 copies cannot fit one window: the quota was what paced them.
        Assert.True(shared.Total > 2 * QuotaDrillFixture.Budget, $"only {shared.Total} calls");
        await AssertCopiedAsync(syncs);
    }

    [Fact]
    public async Task A_quota_lower_than_configured_is_found_within_a_window_of_the_first_refusal_and_then_respected()
    {
        const int quota = 12; // A fifth of CalSync's budget.
        var syncs = await SeededSyncsAsync(eventsPerSync: 12);
        await SetFaultsAsync(new { quotaPerUserPerMinute = quota, quotaWindowSeconds = QuotaDrillFixture.WindowSeconds });
        await fixture.EnsureWorkersAsync(Workers);

        foreach (var sync in syncs)
        {
            await fixture.TriggerAsync(sync.Sync.SyncId);
        }
        // CalSync learns the real quota from Google's first refusals: a window from then on is the scenario's
        // measuring point, not a wait for something to happen.
        await Eventually.ReachesAsync(() => StatsAsync(syncs[0].Sync.TargetEmail), s => s.RateLimited > 0, "Google's first refusal");
        await Task.Delay(TimeSpan.FromSeconds(QuotaDrillFixture.WindowSeconds));
        var firstWindow = await StatsAsync(syncs[0].Sync.TargetEmail);
        await Invariants.AllRunsFinishAsync(fixture.Database.DataSource, [.. syncs.Select(s => s.Sync.SyncId)]);

        var end = await StatsAsync(syncs[0].Sync.TargetEmail);
        var (calls, refused) = (end.Total - firstWindow.Total, end.RateLimited - firstWindow.RateLimited);
        Assert.True(refused * 10 < calls, $"a window after the first refusal, {refused} of {calls} calls were refused (until then: {firstWindow})");
        await AssertCopiedAsync(syncs);
    }

    private async Task<List<SeededSync>> SeededSyncsAsync(int eventsPerSync)
    {
        await SetFaultsAsync(new { quotaPerUserPerMinute = (int?)null }); // Seeding is not what is measured.
        var syncs = await fixture.Google.CreateSyncsIntoOneAccountAsync(fixture.Database.DataSource, 3);
        var seeded = new List<SeededSync>();
        foreach (var sync in syncs)
        {
            seeded.Add(new SeededSync(sync, await fixture.Google.SeedEventsAsync(sync.SourceEmail, "primary", eventsPerSync, Start)));
        }
        return seeded;
    }

    private async Task AssertCopiedAsync(List<SeededSync> syncs)
    {
        await SetFaultsAsync(new { quotaPerUserPerMinute = (int?)null }); // Reading the copies is not what is measured.
        foreach (var (sync, events) in syncs)
        {
            var copies = await fixture.Google.EventSummariesAsync(sync.TargetEmail, sync.TargetCalendarId);
            Assert.Equal(events.Order(StringComparer.Ordinal), copies.Order(StringComparer.Ordinal));
        }
    }

    private async Task SetFaultsAsync(object faults)
    {
        using var admin = new HttpClient { BaseAddress = fixture.Google.Emulator.BaseUri };
        using var response = await admin.PutAsJsonAsync("emulator/faults", faults);
        response.EnsureSuccessStatusCode();
    }

    private async Task<AccountStats> StatsAsync(string email)
    {
        using var admin = new HttpClient { BaseAddress = fixture.Google.Emulator.BaseUri };
        var stats = await admin.GetFromJsonAsync<JsonObject>("emulator/stats");
        return stats!["accounts"]![email] is { } account
            ? new AccountStats(account["total"]!.GetValue<int>(), account["rateLimited"]!.GetValue<int>(), account["peakPerQuotaWindow"]!.GetValue<int>())
            : new AccountStats(0, 0, 0); // No call yet.
    }

    private sealed record SeededSync(SandboxSync Sync, IReadOnlyList<string> Events);

    private sealed record AccountStats(int Total, int RateLimited, int PeakPerQuotaWindow);
}
