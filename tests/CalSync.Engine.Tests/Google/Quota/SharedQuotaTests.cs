using System.Net;
using CalSync.Testing;

namespace CalSync.Engine.Tests.Google.Quota;

/// <summary>
/// Two transports with limiters of their own on one database stand for two processes (the Api and a worker, or
/// two workers) spending one Google account's quota.
/// </summary>
public sealed class SharedQuotaTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);
    private const int Budget = 10;

    [Fact]
    public async Task TwoProcesses_SpendingOneAccount_StayWithinTheBudgetInEverySlidingWindow()
    {
        var account = $"account-{Guid.NewGuid():N}";
        var arrivals = new List<long>();
        HttpResponseMessage Answer(RecordedRequest _)
        {
            lock (arrivals)
            {
                arrivals.Add(TimeProvider.System.GetTimestamp());
            }
            return FakeHandler.Json(HttpStatusCode.OK, """{"id":"e1"}""");
        }
        using var first = new FakeGoogle(database.DataSource, Answer, Configure, account);
        using var second = new FakeGoogle(database.DataSource, Answer, Configure, account);

        await Task.WhenAll(
            Enumerable.Range(0, 15).Select(_ => first.Client.GetEventAsync("primary", "e1", CancellationToken.None))
                .Concat(Enumerable.Range(0, 15).Select(_ => second.Client.GetEventAsync("primary", "e1", CancellationToken.None))));

        Assert.Equal(30, arrivals.Count);
        Assert.True(MostInAnyWindow(arrivals, Window) <= Budget, $"{MostInAnyWindow(arrivals, Window)} calls arrived within one window of {Window}");
    }

    private static void Configure(CalSync.Engine.Google.GoogleApiOptions o)
    {
        o.CallsPerWindow = Budget;
        o.RateLimitWindow = Window;
        // A call may stall between its permit and its arrival; on a test machine busy with other test projects that
        // can take a good part of a second, which the default margin of a two-second window (250 ms) does not cover.
        o.RateLimitMargin = TimeSpan.FromSeconds(1);
    }

    /// <summary>The most timestamps within any half-open interval of length <paramref name="window"/>.</summary>
    internal static int MostInAnyWindow(IReadOnlyCollection<long> timestamps, TimeSpan window)
    {
        var sorted = timestamps.Order().ToList();
        var ticks = (long)(window.TotalSeconds * TimeProvider.System.TimestampFrequency);
        var (most, start) = (0, 0);
        for (var end = 0; end < sorted.Count; end++)
        {
            while (sorted[end] - sorted[start] >= ticks)
            {
                start++;
            }
            most = Math.Max(most, end - start + 1);
        }
        return most;
    }
}
