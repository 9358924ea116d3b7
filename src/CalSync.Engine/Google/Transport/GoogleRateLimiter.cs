using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CalSync.Engine.Google.Transport;

/// <summary>
/// Keeps all CalSync processes together under Google's quotas: <see cref="GoogleApiOptions.CallsPerWindow"/> calls per
/// account and <see cref="GoogleApiOptions.ProjectCallsPerWindow"/> for the whole project in any sliding
/// <see cref="GoogleApiOptions.RateLimitWindow"/>, pacing callers instead of provoking 403/429. Every batch part takes
/// a permit. The budgets live in PostgreSQL (<see cref="GoogleQuotaStore"/>); this process leases permits in blocks of
/// at most a twentieth of the budget, so most calls need no round trip; a block is twice what the account used of its
/// last one, so an account making a call or two now and then does not hold permits that others could use. A block is used within <see cref="Lifetime"/> of
/// being asked for, then its rest goes back. A lease counts for <see cref="Lookback"/> (the window, the lifetime and
/// <see cref="GoogleApiOptions.RateLimitMargin"/> for delays on the way), so calls from leased permits never exceed
/// a budget in the window Google measures. After Google refuses calls for quota, the account's budget drops to what
/// Google accepted and recovers slowly (migration 0008 holds the rule).
/// </summary>
public sealed partial class GoogleRateLimiter(GoogleQuotaStore store, IOptions<GoogleApiOptions> options, TimeProvider time, ILogger<GoogleRateLimiter> logger)
{
    private const int BlockShare = 20;
    private const int MaxBlock = 50;
    private static readonly TimeSpan MinWait = TimeSpan.FromMilliseconds(5);

    private readonly GoogleApiOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, AccountPermits> _accounts = new(StringComparer.Ordinal);

    /// <summary>How long leased permits may be used: at Google's one-minute window, one second.</summary>
    public TimeSpan Lifetime => _options.RateLimitWindow / 60;

    /// <summary>How long a lease counts against the budgets: the window, the permits' lifetime and a margin for delays on the way to Google.</summary>
    public TimeSpan Lookback => _options.RateLimitWindow + Lifetime + Margin;

    // Network and scheduling jitter do not shrink with the window, so short windows keep a floor.
    private TimeSpan Margin => _options.RateLimitMargin
        ?? TimeSpan.FromTicks(Math.Max(_options.RateLimitWindow.Ticks / 20, TimeSpan.FromMilliseconds(250).Ticks));

    /// <summary>Waits until <paramref name="calls"/> more calls fit into the account's and the project's budgets.</summary>
    public async ValueTask AcquireAsync(string accountKey, int calls, CancellationToken cancellationToken)
    {
        var permits = _accounts.GetOrAdd(accountKey, _ => new AccountPermits(_options.CallsPerWindow));
        while (true)
        {
            TimeSpan wait;
            await permits.Gate.WaitAsync(cancellationToken);
            try
            {
                var asked = time.GetTimestamp();
                if (permits.TryTake(calls, asked))
                {
                    return;
                }
                wait = permits.WaitFrom(asked, time);
                if (wait <= TimeSpan.Zero)
                {
                    // One lease at a time per account and process: callers arriving meanwhile take from its block.
                    var lease = await store.LeaseAsync(new QuotaLeaseRequest(
                        accountKey, _options.CallsPerWindow, _options.ProjectCallsPerWindow, _options.RateLimitWindow, Lookback,
                        calls, Math.Max(calls, permits.NextBlock(BlockSize(permits.Budget))), permits.LeaseId, permits.Unused), cancellationToken);
                    permits.Budget = lease.Budget;
                    if (lease.Granted > 0)
                    {
                        // Counted from before the round trip, which the database's lease time lies within.
                        permits.Hold(lease.LeaseId, lease.Granted, calls, asked + Ticks(Lifetime));
                        return;
                    }
                    permits.Clear();
                    wait = lease.Wait > MinWait ? lease.Wait : MinWait;
                    permits.NotBefore = time.GetTimestamp() + Ticks(wait);
                    LogWaiting(accountKey, calls, wait, lease.Budget);
                }
            }
            finally
            {
                permits.Gate.Release();
            }
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <summary>Google refused <paramref name="refused"/> of the account's calls for quota: lowers its budget for every process.</summary>
    public async ValueTask RateLimitedAsync(string accountKey, int refused, CancellationToken cancellationToken)
    {
        var permits = _accounts.GetOrAdd(accountKey, _ => new AccountPermits(_options.CallsPerWindow));
        await permits.Gate.WaitAsync(cancellationToken);
        try
        {
            // This process's unused permits go back: they were leased under the budget that just proved too high.
            permits.Budget = await store.RefusedAsync(
                accountKey, refused, _options.CallsPerWindow, _options.RateLimitWindow, permits.LeaseId, permits.Unused, cancellationToken);
            permits.Clear();
            LogRefused(accountKey, refused, permits.Budget, _options.RateLimitWindow);
        }
        finally
        {
            permits.Gate.Release();
        }
    }

    private static int BlockSize(double budget) => Math.Clamp((int)Math.Ceiling(budget / BlockShare), 1, MaxBlock);

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Google quota of account {Account}: {Calls} calls wait {Wait} (budget {Budget:F1} per window)")]
    private partial void LogWaiting(string account, int calls, TimeSpan wait, double budget);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Google refused {Refused} calls of account {Account} for quota; its budget is now {Budget:F1} per {Window}")]
    private partial void LogRefused(string account, int refused, double budget, TimeSpan window);

    /// <summary>One account's permits in this process; every field is read and written under <see cref="Gate"/>.</summary>
    private sealed class AccountPermits(double budget)
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public double Budget { get; set; } = budget;
        public long? LeaseId { get; private set; }
        public int Unused { get; private set; }
        public long ExpiresAt { get; private set; }
        public long NotBefore { get; set; }

        public bool TryTake(int calls, long now)
        {
            if (LeaseId is null || now >= ExpiresAt || Unused < calls)
            {
                return false;
            }
            Unused -= calls;
            return true;
        }

        public TimeSpan WaitFrom(long now, TimeProvider time) =>
            NotBefore > now ? TimeSpan.FromSeconds((NotBefore - now) / (double)time.TimestampFrequency) : TimeSpan.Zero;

        // What the current block held when leased: with Unused, what the account took of it.
        private int _block;

        /// <summary>Twice what the account took of its last block (a steady caller soon leases full blocks), at most <paramref name="largest"/>.</summary>
        public int NextBlock(int largest) => Math.Clamp(2 * (_block - Unused), 1, largest);

        public void Hold(long? leaseId, int granted, int taken, long expiresAt) =>
            (LeaseId, Unused, ExpiresAt, _block) = (leaseId, granted - taken, expiresAt, granted);

        public void Clear() => (LeaseId, Unused, _block) = (null, 0, 0);
    }
}
