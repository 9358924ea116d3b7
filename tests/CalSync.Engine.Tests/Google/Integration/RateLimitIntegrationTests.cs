using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Accounting;
using CalSync.GoogleEmulator.Hosting;
using static CalSync.Engine.Tests.Google.Integration.CalendarClientIntegrationTests;

namespace CalSync.Engine.Tests.Google.Integration;

/// <summary>
/// Google's quota, 600 calls per user per minute, compressed in time: the emulator's clock runs 10 times faster than
/// the wall clock, so its one-minute sliding window lasts 6 real seconds, and CalSync's limiter gets the same budget
/// (600 per 6 s). Everything but the unit of time is as in production, except the margin for a call's delay between
/// its permit and Google: stalls on a test machine busy with other test projects do not shrink with the clock, so
/// the limiter's 5 % (300 ms here) becomes 1.5 s.
/// </summary>
public sealed class RateLimitEnvironment : GoogleEnvironment
{
    public const double Speed = 10;

    protected override EmulatorHostOptions EmulatorOptions => new() { TimeProvider = new FastClock(Speed) };

    protected override Dictionary<string, string?> Settings => new()
    {
        ["Google:CallsPerWindow"] = "600",
        ["Google:RateLimitWindow"] = TimeSpan.FromMinutes(1 / Speed).ToString(),
        ["Google:RateLimitMargin"] = TimeSpan.FromSeconds(1.5).ToString(),
    };

    /// <summary>A wall clock that runs <paramref name="speed"/> times faster from the moment it is created.</summary>
    private sealed class FastClock(double speed) : TimeProvider
    {
        private readonly DateTimeOffset _origin = System.GetUtcNow();
        private readonly long _started = System.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => _origin + System.GetElapsedTime(_started) * speed;
    }
}

public sealed class RateLimitIntegrationTests(RateLimitEnvironment env) : IClassFixture<RateLimitEnvironment>
{
    private static readonly DateTimeOffset Start = new(2027, 1, 4, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task BurstOf1500Calls_UnderQuotaOf600PerMinute_IsPacedWithNoCallRejected()
    {
        var account = await env.ConnectNewAccountAsync();
        await env.SetFaultsAsync(new { quotaPerUserPerMinute = 600 });
        using var scope = env.Get<ApiCallAccounting>().BeginScope();
        var started = TimeProvider.System.GetTimestamp();

        // Ten workers at once: 1,400 inserts in batches of 50 plus 100 single reads, all for one account.
        var batches = Enumerable.Range(0, 10).Select(w => account.Client.ExecuteBatchAsync(
            [.. Enumerable.Range(0, 140).Select(i => CalendarOperation.InsertEvent("primary", NewEvent(NewId(), Start.AddMinutes(w * 1000 + i))))],
            CancellationToken.None));
        var reads = Enumerable.Range(0, 100).Select(_ => account.Client.GetEventAsync("primary", NewId(), CancellationToken.None));
        var results = (await Task.WhenAll(batches)).SelectMany(r => r).ToList();
        await Task.WhenAll(reads);
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        Assert.Equal(1_500, scope.Calls);
        var stats = await env.Admin.GetFromJsonAsync<JsonObject>("emulator/stats");
        Assert.Equal(1_500, stats!["accounts"]![account.Email]!["total"]!.GetValue<int>());
        // 1,500 calls at 600 per window cannot finish before two windows have passed: the limiter paced them.
        var window = TimeSpan.FromMinutes(1 / RateLimitEnvironment.Speed);
        Assert.True(elapsed >= window * 2, $"took {elapsed}, expected at least {window * 2}");
    }
}
