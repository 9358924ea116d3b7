using System.Globalization;
using System.Text.Json;
using CalSync.Engine.Google;
using CalSync.Engine.Runs;
using CalSync.Engine.Sync;
using CalSync.Engine.Tests.Sync;
using CalSync.Engine.Tests.Sync.Removal;

namespace CalSync.Engine.Tests.Runs;

/// <summary>
/// A run's record is the sum of its attempts: a first sync whose first attempt runs into Google's per-user
/// quota part-way and whose retry finishes reports every copy, every Google call and every change of both
/// attempts, as the emulator's call counts and the target calendar say.
/// </summary>
public sealed class RunTotalsTests(QuotaSyncEnvironment env) : IClassFixture<QuotaSyncEnvironment>, IAsyncLifetime
{
    private static readonly DateTimeOffset Tomorrow = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(9);
    private readonly RemovalHarness _h = new(env);

    public Task InitializeAsync() => env.ResetFaultsAsync();

    public Task DisposeAsync() => env.ResetFaultsAsync();

    [Fact]
    public async Task A_run_retried_after_a_quota_error_reports_both_attempts()
    {
        var s = await env.NewScenarioAsync();
        var inserts = Enumerable.Range(0, 120)
            .Select(i => CalendarOperation.InsertEvent("primary", Scenario.Timed($"E{i}", Tomorrow.AddMinutes(30 * i)) with { Id = "e" + Guid.NewGuid().ToString("N") }))
            .ToList();
        Assert.All(await s.Source.Client.ExecuteBatchAsync(inserts, CancellationToken.None), r => Assert.True(r.Succeeded));
        // Not copied: each attempt meets it again, and the run skips it once.
        var day = Tomorrow.UtcDateTime.AddDays(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using (var workingLocation = await env.RawAsync(s.Source, HttpMethod.Post, "calendar/v3/calendars/primary/events", new
        {
            eventType = "workingLocation", visibility = "public", transparency = "transparent",
            start = new { date = day }, end = new { date = Tomorrow.UtcDateTime.AddDays(4).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
            workingLocationProperties = new { type = "homeOffice", homeOffice = new { } },
        }))
        {
            Assert.True(workingLocation.IsSuccessStatusCode, await workingLocation.Content.ReadAsStringAsync());
        }
        var (run, _) = await _h.Runs.EnqueueAsync(s.Sync.Id, RunTrigger.Manual, fullResync: false, dryRun: false, CancellationToken.None);
        await env.ResetStatsAsync();
        // 80 calls a minute per account: the target's listing and 79 inserts go through, the rest are refused.
        await env.SetFaultsAsync(new { quotaPerUserPerMinute = 80, quotaStatus = 403 });

        var first = await _h.ProcessAsync(run);

        Assert.Equal(ProcessResultKind.RetryScheduled, first.Kind);
        var callsOfFirst = await GoogleCallsAsync(s);
        await env.SetFaultsAsync(new { quotaPerUserPerMinute = (int?)null });
        var copiesAfterFirst = await CopyCountAsync(s);
        Assert.InRange(copiesAfterFirst, 1, 119);
        var afterFirst = (await _h.Runs.GetAsync(run.Id, CancellationToken.None))!;
        Assert.Equal((copiesAfterFirst, callsOfFirst), (afterFirst.Created, afterFirst.ApiCalls));
        await env.ResetStatsAsync(); // The listing above was the test's, not the run's.

        var second = await _h.ProcessAsync(run);

        Assert.Equal(ProcessResultKind.Finished, second.Kind);
        var done = second.Run;
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.Equal(2, done.Attempts);
        var callsOfSecond = await GoogleCallsAsync(s);
        var copies = await CopyCountAsync(s);
        Assert.Equal(120, copies);
        Assert.Equal((copies, 0, 0, 1, callsOfFirst + callsOfSecond), (done.Created, done.Updated, done.Deleted, done.Skipped, done.ApiCalls));
        var changes = await _h.ChangesAsync(run.Id);
        var created = changes.Where(c => c.Action == RunChange.Create).ToList();
        Assert.Equal(copies, created.Count);
        Assert.Equal(copies, created.Select(c => c.CopyEventId).Distinct().Count());
        Assert.Single(changes, c => c.Action == RunChange.Skip);
        Assert.Equal(copies + 1, changes.Count);
    }

    [Fact]
    public async Task A_copy_removal_retried_after_a_quota_error_reports_both_attempts()
    {
        var s = await env.NewScenarioAsync();
        var inserts = Enumerable.Range(0, 60)
            .Select(i => CalendarOperation.InsertEvent("primary", Scenario.Timed($"E{i}", Tomorrow.AddMinutes(30 * i)) with { Id = "e" + Guid.NewGuid().ToString("N") }))
            .ToList();
        Assert.All(await s.Source.Client.ExecuteBatchAsync(inserts, CancellationToken.None), r => Assert.True(r.Succeeded));
        await s.RunAsync();
        Assert.Equal(60, await CopyCountAsync(s));
        var removal = (await _h.DeleteAsync(s, removeCopies: true)).RemovalRun!;
        await env.ResetStatsAsync();
        // The target's listing and 29 deletions go through, the rest of the first batch is refused.
        await env.SetFaultsAsync(new { quotaPerUserPerMinute = 30, quotaStatus = 403 });

        var first = await _h.ProcessAsync(removal);

        Assert.Equal(ProcessResultKind.RetryScheduled, first.Kind);
        var callsOfFirst = await GoogleCallsAsync(s);
        await env.SetFaultsAsync(new { quotaPerUserPerMinute = (int?)null });
        var left = await CopyCountAsync(s);
        Assert.InRange(left, 1, 59);
        Assert.Equal((60 - left, callsOfFirst), (first.Run.Deleted, first.Run.ApiCalls));
        await env.ResetStatsAsync();

        var second = await _h.ProcessAsync(removal);

        Assert.Equal((ProcessResultKind.Finished, RunStatus.Succeeded, 2), (second.Kind, second.Run.Status, second.Run.Attempts));
        var callsOfSecond = await GoogleCallsAsync(s);
        Assert.Equal(0, await CopyCountAsync(s));
        Assert.Equal((60, callsOfFirst + callsOfSecond), (second.Run.Deleted, second.Run.ApiCalls));
        var changes = await _h.ChangesAsync(removal.Id);
        Assert.Equal(60, changes.Count(c => c.Action == RunChange.Delete));
        Assert.Equal(60, changes.Select(c => c.CopyEventId).Distinct().Count());
    }

    private static async Task<int> CopyCountAsync(Scenario s) =>
        (await Scenario.LiveEventsAsync(s.Target)).Count(e => CopyMarker.Read(e)?.SyncId == s.Sync.Id);

    /// <summary>Calendar calls both accounts made since the stats were reset, as the emulator counted them (refused ones too).</summary>
    private async Task<int> GoogleCallsAsync(Scenario s)
    {
        using var stats = JsonDocument.Parse(await env.Admin.GetStringAsync("emulator/stats"));
        var accounts = stats.RootElement.GetProperty("accounts");
        return new[] { s.Source.Email, s.Target.Email }
            .Sum(email => accounts.TryGetProperty(email, out var account) ? account.GetProperty("total").GetInt32() : 0);
    }
}

/// <summary>
/// The engine's environment with a Google client that does not wait out a long Retry-After: a call that Google
/// asks to wait longer than a moment ends with a retryable error at once, so the run is put off instead.
/// </summary>
public sealed class QuotaSyncEnvironment : SyncEnvironment
{
    protected override Dictionary<string, string?> Settings => new(base.Settings) { ["Google:RetryBudget"] = "00:00:00.200" };
}
