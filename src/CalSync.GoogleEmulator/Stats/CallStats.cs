namespace CalSync.GoogleEmulator.Stats;

/// <summary>Calls per account and method: every Google call counts once, each batch part on its own; the batch HTTP request only in httpRequests.</summary>
internal sealed class CallStats
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AccountStats> _accounts = new(StringComparer.OrdinalIgnoreCase);

    public sealed record AccountStats
    {
        public int Total { get; set; }

        public int HttpRequests { get; set; }

        public SortedDictionary<string, int> ByMethod { get; } = new(StringComparer.Ordinal);
    }

    public void CountCall(string email, string method)
    {
        lock (_gate)
        {
            var stats = For(email);
            stats.Total++;
            stats.ByMethod[method] = stats.ByMethod.GetValueOrDefault(method) + 1;
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
                accounts = _accounts.ToDictionary(kv => kv.Key, kv => new
                {
                    total = kv.Value.Total,
                    httpRequests = kv.Value.HttpRequests,
                    byMethod = new SortedDictionary<string, int>(kv.Value.ByMethod, StringComparer.Ordinal),
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
