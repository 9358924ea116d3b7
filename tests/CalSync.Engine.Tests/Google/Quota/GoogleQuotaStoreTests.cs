using CalSync.Engine.Google.Transport;
using CalSync.Testing;
using Dapper;
using Npgsql;

namespace CalSync.Engine.Tests.Google.Quota;

/// <summary>
/// The shared budget's rules (migration 0008), replayed at chosen instants. Expected values follow from the rules
/// as stated: a lease counts for the lookback; Google's refusal sets the pace to 90 % of what it accepted in the last
/// window (or halves it when less than a tenth of the pace was spent); the pace grows 5 % per window since, up to the
/// configured budget.
/// </summary>
public sealed class GoogleQuotaStoreTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Lookback = TimeSpan.FromSeconds(64);
    private const int NoProjectLimit = 1_000_000;

    private GoogleQuotaStore Store => new(database.DataSource);

    [Fact]
    public async Task Lease_GrantsBlocksUpToTheBudget_ThenWaitsUntilTheOldestLeaseAgesOut()
    {
        var (account, t0) = NewScenario(1);

        Assert.Equal(4, (await LeaseAsync(account, 10, need: 1, want: 4, t0)).Granted);
        Assert.Equal(4, (await LeaseAsync(account, 10, need: 1, want: 4, t0.AddSeconds(1))).Granted);
        Assert.Equal(2, (await LeaseAsync(account, 10, need: 1, want: 4, t0.AddSeconds(2))).Granted);
        var refused = await LeaseAsync(account, 10, need: 1, want: 4, t0.AddSeconds(3));
        var later = await LeaseAsync(account, 10, need: 1, want: 4, t0 + Lookback + TimeSpan.FromMilliseconds(1));

        Assert.Equal(0, refused.Granted);
        Assert.Null(refused.LeaseId);
        Assert.Equal(Lookback - TimeSpan.FromSeconds(3), refused.Wait);
        Assert.Equal(4, later.Granted);
    }

    [Fact]
    public async Task Lease_UnusedPermitsReturned_AreFreeAgain()
    {
        var (account, t0) = NewScenario(2);

        var first = await LeaseAsync(account, 10, need: 1, want: 10, t0);
        var second = await LeaseAsync(account, 10, need: 1, want: 3, t0.AddSeconds(1), returnId: first.LeaseId, returnPermits: 7);
        var third = await LeaseAsync(account, 10, need: 5, want: 5, t0.AddSeconds(2));

        Assert.Equal(10, first.Granted);
        Assert.Equal(3, second.Granted);
        // 3 + 3 in use: 4 free, one short; the first lease (3 left of it) frees enough when it ages out.
        Assert.Equal(0, third.Granted);
        Assert.Equal(Lookback - TimeSpan.FromSeconds(2), third.Wait);
    }

    [Fact]
    public async Task Lease_NeedLargerThanTheBudget_IsGrantedWholeIntoAnEmptyWindowAndCountsInFull()
    {
        var (account, t0) = NewScenario(3);

        var batch = await LeaseAsync(account, 20, need: 50, want: 50, t0);
        var next = await LeaseAsync(account, 20, need: 1, want: 1, t0.AddSeconds(1));

        Assert.Equal(50, batch.Granted);
        Assert.Equal(0, next.Granted);
        Assert.Equal(Lookback - TimeSpan.FromSeconds(1), next.Wait);
    }

    [Theory]
    [InlineData(100, new[] { 40, 10, 1 })] // A tenth of the pace or more was spent: Google's limit is what it accepted.
    [InlineData(5, new[] { 1, 1, 1 })] // Little was spent: each refusal only halves the pace.
    public async Task Refused_LowersThePaceToNinetyPercentOfWhatGoogleAccepted_OrHalvesItAfterLittleUse(int leased, int[] refusals)
    {
        var (account, t0) = NewScenario(4);
        Assert.Equal(leased, (await LeaseAsync(account, 600, need: leased, want: leased, t0)).Granted);

        // Model: accepted = leased - refused in the last window; the pace recovered since the last report (reports a
        // second apart: a sixtieth of a window's recovery); then 90 % of accepted if that is at least a tenth of the
        // pace, else half the pace; never more than before, never below 1.
        var (pace, refusedSoFar) = (600.0, 0);
        var expected = new List<double>();
        var paces = new List<double>();
        for (var i = 0; i < refusals.Length; i++)
        {
            refusedSoFar += refusals[i];
            var current = i == 0 ? pace : Math.Min(600, pace * Math.Pow(1.05, 1.0 / 60));
            var accepted = leased - refusedSoFar;
            pace = Math.Max(1, Math.Min(current, accepted * 10 >= current ? 0.9 * accepted : current / 2));
            expected.Add(pace);
            paces.Add(await Store.RefusedAsync(account, refusals[i], 600, Window, null, 0, CancellationToken.None, t0.AddSeconds(1 + i)));
        }

        Assert.Equal(expected, paces, (a, b) => Math.Abs(a - b) < 1e-9);
        // The lowered pace (a second's recovery later) is the budget of the next lease.
        var after = await LeaseAsync(account, 600, need: 1, want: 1, t0.AddSeconds(1 + refusals.Length));
        Assert.Equal(expected[^1] * Math.Pow(1.05, 1.0 / 60), after.Budget, 9);
    }

    [Fact]
    public async Task Refused_AfterTheConfiguredBudgetWasSpent_DropsAtOnceToWhatGoogleAccepted()
    {
        var (account, t0) = NewScenario(6);
        Assert.Equal(100, (await LeaseAsync(account, 600, need: 100, want: 100, t0)).Granted);

        var pace = await Store.RefusedAsync(account, 40, 600, Window, null, 0, CancellationToken.None, t0.AddSeconds(1));

        Assert.Equal(0.9 * 60, pace, 9); // Google accepted 60 of 100, as a quota of 60 a minute would.
        var next = await LeaseAsync(account, 600, need: 1, want: 1, t0.AddSeconds(1));
        Assert.Equal(0, next.Granted); // 100 leased within the lookback: more than the new budget.
    }

    [Fact]
    public async Task Budget_RecoversFivePercentPerWindowWithoutRefusals_UpToTheConfiguredBudget()
    {
        var (account, t0) = NewScenario(5);
        await LeaseAsync(account, 600, need: 120, want: 120, t0);
        var pace = await Store.RefusedAsync(account, 60, 600, Window, null, 0, CancellationToken.None, t0.AddSeconds(1));
        Assert.Equal(54, pace, 9); // 90 % of the 60 Google accepted.

        foreach (var windows in new[] { 1, 2, 10 })
        {
            var lease = await LeaseAsync(account, 600, need: 1, want: 1, t0.AddSeconds(1) + Window * windows);
            Assert.Equal(54 * Math.Pow(1.05, windows), lease.Budget, 6);
        }
        var recovered = await LeaseAsync(account, 600, need: 1, want: 1, t0.AddSeconds(1) + Window * 50);
        Assert.Equal(600, recovered.Budget, 9); // 54 * 1.05^50 = 619 is more than configured.

        // A new refusal starts from the recovered budget and resets the recovery; one call spent is little use.
        var again = await Store.RefusedAsync(account, 1, 600, Window, null, 0, CancellationToken.None, t0.AddSeconds(2) + Window * 50);
        Assert.Equal(300, again, 9);
    }

    [Fact]
    public async Task Lease_ProjectBudget_IsSharedByAllAccounts()
    {
        // A database of its own: the project's budget counts every account's leases.
        await using var own = new TestDatabase();
        await own.InitializeAsync();
        var store = new GoogleQuotaStore(own.DataSource);
        var t0 = TimeProvider.System.GetUtcNow();
        QuotaLeaseRequest Request(string account, int need, int want) => new(account, 100, 10, Window, Lookback, need, want);

        var a = await store.LeaseAsync(Request("a", 6, 6), CancellationToken.None, t0);
        var tooMuch = await store.LeaseAsync(Request("b", 6, 6), CancellationToken.None, t0.AddSeconds(1));
        var rest = await store.LeaseAsync(Request("b", 1, 6), CancellationToken.None, t0.AddSeconds(2));

        Assert.Equal(6, a.Granted);
        Assert.Equal(0, tooMuch.Granted);
        Assert.Equal(Lookback - TimeSpan.FromSeconds(1), tooMuch.Wait);
        Assert.Equal(4, rest.Granted);
    }

    [Fact]
    public async Task Lease_FromManyProcessesAtOnce_NeverGrantsMoreThanTheBudgetsWithinTheLookback()
    {
        // Two accounts of 30 each in a project of 40: both budgets are contended.
        const int accountBudget = 30, projectBudget = 40;
        await using var own = new TestDatabase(); // The project's budget counts every account in the database.
        await own.InitializeAsync();
        string[] accounts = [$"a-{Guid.NewGuid():N}", $"b-{Guid.NewGuid():N}"];
        var window = TimeSpan.FromMilliseconds(400);
        var lookback = TimeSpan.FromMilliseconds(450);
        // Two seconds of contention, longer on a machine too loaded to lease enough in that time (up to a minute).
        var until = TimeProvider.System.GetTimestamp() + TimeProvider.System.TimestampFrequency * 2;
        var deadline = TimeProvider.System.GetTimestamp() + TimeProvider.System.TimestampFrequency * 60;
        var (granted, heldBack) = (0, 0);
        bool Busy()
        {
            var now = TimeProvider.System.GetTimestamp();
            return now < until || (Volatile.Read(ref granted) <= 4 * projectBudget && now < deadline);
        }

        // Four data sources: four processes, each with concurrent callers for both accounts, on the database clock.
        var processes = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(own.ConnectionString)).ToList();
        try
        {
            await Task.WhenAll(processes.SelectMany(p => Enumerable.Range(0, 4).Select(async caller =>
            {
                var store = new GoogleQuotaStore(p);
                var request = new QuotaLeaseRequest(accounts[caller % 2], accountBudget, projectBudget, window, lookback, 1, 4);
                while (Busy())
                {
                    var lease = await store.LeaseAsync(request, CancellationToken.None);
                    Interlocked.Add(ref granted, lease.Granted);
                    if (lease.Granted == 0)
                    {
                        Interlocked.Increment(ref heldBack);
                    }
                    await Task.Delay(lease.Granted > 0 ? TimeSpan.FromMilliseconds(20) : lease.Wait);
                }
            })));
        }
        finally
        {
            foreach (var p in processes)
            {
                await p.DisposeAsync();
            }
        }

        // The log keeps two lookbacks (older leases are pruned): enough to see whether any lookback held more.
        await using var connection = await own.DataSource.OpenConnectionAsync();
        var leases = (await connection.QueryAsync<(string Account, DateTime At, int Permits)>(
            "select account_key, leased_at, permits from google_quota_leases order by leased_at")).ToList();
        int Most(IEnumerable<(string Account, DateTime At, int Permits)> log) =>
            log.Max(l => log.Where(o => o.At > l.At - lookback && o.At <= l.At).Sum(o => o.Permits));
        // Contended: callers were held back by the budgets (how often, and whether a lookback was filled to the last
        // permit, depends on how fast this machine runs the callers, so neither is asserted).
        Assert.True(granted > 3 * projectBudget && heldBack > 0, $"the processes were not busy enough to test anything: {granted} granted, {heldBack} held back");
        Assert.True(Most(leases) <= projectBudget, $"{Most(leases)} permits within one lookback");
        Assert.All(accounts, a => Assert.True(Most(leases.Where(l => l.Account == a)) <= accountBudget));
    }

    private Task<QuotaLease> LeaseAsync(string account, int limit, int need, int want, DateTimeOffset at, long? returnId = null, int returnPermits = 0) =>
        Store.LeaseAsync(new QuotaLeaseRequest(account, limit, NoProjectLimit, Window, Lookback, need, want, returnId, returnPermits), CancellationToken.None, at);

    /// <summary>A fresh account and an instant of its own, days apart from the other scenarios' (old leases are pruned).</summary>
    private static (string Account, DateTimeOffset Start) NewScenario(int day) =>
        ($"account-{Guid.NewGuid():N}", new DateTimeOffset(2040, 1, day, 12, 0, 0, TimeSpan.Zero));
}
