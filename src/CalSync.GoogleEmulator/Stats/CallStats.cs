namespace CalSync.GoogleEmulator.Stats;

/// <summary>Calls per account and method: every Google call counts once, each batch part on its own; the batch HTTP request only in httpRequests.</summary>
internal sealed class CallStats(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AccountStats> _accounts = new(StringComparer.OrdinalIgnoreCase);

    public sealed record AccountStats
    {
        public int Total { get; set; }

        public int HttpRequests { get; set; }

        public SortedDictionary<string, int> ByMethod { get; } = new(StringComparer.Ordinal);

        public int RateLimited { get; set; }

        public int PeakPerQuotaWindow { get; set; }

        /// <summary>Arrival times (UTC ticks) of the calls still inside the quota window.</summary>
        public Queue<long> Recent { get; } = new();
    }

    /// <summary>
    /// Counts a call as it arrives, accepted or not. The busiest window always ends at an arrival, so the count of
    /// arrivals in (now - window, now] taken at each arrival finds the peak.
    /// </summary>
    public void CountCall(string email, string method, TimeSpan window)
    {
        var now = time.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            var stats = For(email);
            stats.Total++;
            stats.ByMethod[method] = stats.ByMethod.GetValueOrDefault(method) + 1;
            while (stats.Recent.Count > 0 && stats.Recent.Peek() <= now - window.Ticks)
            {
                stats.Recent.Dequeue();
            }

            stats.Recent.Enqueue(now);
            stats.PeakPerQuotaWindow = Math.Max(stats.PeakPerQuotaWindow, stats.Recent.Count);
        }
    }

    /// <summary>A call the per-user quota refused (injected 403/429 errors are not counted).</summary>
    public void CountRateLimited(string email)
    {
        lock (_gate)
        {
            For(email).RateLimited++;
        }
    }

    public void CountHttpRequest(string email)
    {
        lock (_gate)
        {
            For(email).HttpRequests++;
        }
    }

    public object Snapshot()
    {
        lock (_gate)
        {
            return new
            {
                rateLimited = _accounts.Values.Sum(a => a.RateLimited),
                accounts = _accounts.ToDictionary(kv => kv.Key, kv => new
                {
                    total = kv.Value.Total,
                    httpRequests = kv.Value.HttpRequests,
                    byMethod = new SortedDictionary<string, int>(kv.Value.ByMethod, StringComparer.Ordinal),
                    rateLimited = kv.Value.RateLimited,
                    peakPerQuotaWindow = kv.Value.PeakPerQuotaWindow,
                }),
            };
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _accounts.Clear();
        }
    }

    private AccountStats For(string email)
    {
        if (!_accounts.TryGetValue(email, out var stats))
        {
            _accounts[email] = stats = new AccountStats();
        }

        return stats;
    }
}
