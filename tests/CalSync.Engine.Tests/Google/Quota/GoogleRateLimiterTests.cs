using CalSync.Engine.Google;
using CalSync.Engine.Google.Transport;
using CalSync.Testing;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Options = Microsoft.Extensions.Options.Options;

namespace CalSync.Engine.Tests.Google.Quota;

/// <summary>
/// One process's side of the shared budget: permits come in blocks of twice what the account took of its last block (at
/// most a twentieth of the budget), live for a sixtieth of the window on this process's clock, and what is left of a
/// block goes back with the next round trip.
/// </summary>
public sealed class GoogleRateLimiterTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly GoogleApiOptions Budget100PerMinute = new() { CallsPerWindow = 100, RateLimitWindow = TimeSpan.FromMinutes(1) };

    [Fact]
    public async Task AcquireAsync_WithinABlocksLifetime_TakesPermitsWithoutARoundTrip()
    {
        var (limiter, _) = NewLimiter();
        var account = NewAccount();

        for (var i = 0; i < 5; i++)
        {
            await limiter.AcquireAsync(account, 1, CancellationToken.None);
        }
        var afterFive = await RoundTripsAsync(account);
        await limiter.AcquireAsync(account, 1, CancellationToken.None);

        // Blocks of 1, then 2 (the first was used up), then 4: the sixth call takes from the third block.
        Assert.Equal(3, afterFive);
        Assert.Equal(3, await RoundTripsAsync(account));
        Assert.Equal([1, 2, 4], await LeasedAsync(account));
    }

    [Fact]
    public async Task AcquireAsync_ASteadyCaller_GrowsItsBlocksToATwentiethOfTheBudget()
    {
        var (limiter, _) = NewLimiter();
        var account = NewAccount();

        for (var i = 0; i < 20; i++)
        {
            await limiter.AcquireAsync(account, 1, CancellationToken.None);
        }

        // 1 + 2 + 4 + 5 + 5 + 5 = 22 permits for 20 calls: a block is never more than 100 / 20 = 5.
        Assert.Equal([1, 2, 4, 5, 5, 5], await LeasedAsync(account));
    }

    [Fact]
    public async Task AcquireAsync_AnOccasionalCaller_LeasesTwiceWhatItTookNotAFullBlock()
    {
        var (limiter, clock) = NewLimiter();
        var account = NewAccount();

        await limiter.AcquireAsync(account, 1, CancellationToken.None);
        clock.Advance(limiter.Lifetime);
        await limiter.AcquireAsync(account, 1, CancellationToken.None);

        // An account that makes a call now and then (a push run's listing) leases twice what it took, not a full block
        // that would count against the project's budget for a whole window.
        Assert.Equal([1, 2], await LeasedAsync(account));
    }

    [Fact]
    public async Task AcquireAsync_AfterTheBlockExpired_ReturnsItsUnusedPermitsWithTheNextLease()
    {
        var (limiter, clock) = NewLimiter();
        var account = NewAccount();

        await limiter.AcquireAsync(account, 1, CancellationToken.None);
        await limiter.AcquireAsync(account, 1, CancellationToken.None);
        clock.Advance(limiter.Lifetime);
        await limiter.AcquireAsync(account, 1, CancellationToken.None);

        // The second block of 2 had 1 left when it expired: that one came back with the third lease (of 2 * 1).
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.Lifetime);
        Assert.Equal([1, 1, 2], await LeasedAsync(account));
        Assert.Equal(3, await RoundTripsAsync(account));
    }

    [Fact]
    public async Task AcquireAsync_MoreThanABlock_LeasesExactlyWhatIsNeeded()
    {
        var (limiter, _) = NewLimiter();
        var account = NewAccount();

        await limiter.AcquireAsync(account, 50, CancellationToken.None);

        Assert.Equal([50], await LeasedAsync(account));
    }

    [Fact]
    public async Task RateLimitedAsync_ReturnsTheUnusedPermitsAndLowersTheBudgetForTheNextLease()
    {
        var (limiter, _) = NewLimiter();
        var account = NewAccount();
        await limiter.AcquireAsync(account, 1, CancellationToken.None);

        await limiter.RateLimitedAsync(account, 1, CancellationToken.None);
        await limiter.AcquireAsync(account, 1, CancellationToken.None);

        await using var connection = await database.DataSource.OpenConnectionAsync();
        var (pace, refused) = await connection.QuerySingleAsync<(double, long)>(
            "select pace, refused from google_quota_accounts where account_key = @account", new { account });
        Assert.Equal(1, refused);
        // Google accepted nothing of the one call, so the budget halves: 50; the next block starts small again.
        Assert.Equal(50, pace, 1);
        Assert.Equal([1, 0, 1], await LeasedAsync(account));
    }

    private (GoogleRateLimiter Limiter, FakeTimeProvider Clock) NewLimiter()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        return (new GoogleRateLimiter(new GoogleQuotaStore(database.DataSource), Options.Create(Budget100PerMinute), clock, NullLogger<GoogleRateLimiter>.Instance), clock);
    }

    private static string NewAccount() => $"account-{Guid.NewGuid():N}";

    private async Task<long> RoundTripsAsync(string account)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<long>("select round_trips from google_quota_accounts where account_key = @account", new { account });
    }

    private async Task<List<int>> LeasedAsync(string account)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<int>("select permits from google_quota_leases where account_key = @account order by id", new { account })];
    }
}
