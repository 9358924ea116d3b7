namespace CalSync.Engine.Google.Accounting;

/// <summary>
/// The Google calls (quota units) made while this scope is current, e.g. during one run:
/// every single request and every batch part counts once; retries count again.
/// Created by <see cref="ApiCallAccounting.BeginScope"/>; dispose it to end it.
/// </summary>
public sealed class ApiCallScope : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _byAccount = [];
    private readonly Dictionary<string, int> _byMethod = [];
    private readonly Action<ApiCallScope> _onDispose;
    private int _calls;
    private int _httpRequests;

    internal ApiCallScope(ApiCallScope? parent, Action<ApiCallScope> onDispose)
    {
        Parent = parent;
        _onDispose = onDispose;
    }

    internal ApiCallScope? Parent { get; }

    /// <summary>Calls that count against Google's quota (batch parts individually).</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>HTTP requests sent (a batch of 50 parts is one).</summary>
    public int HttpRequests => Volatile.Read(ref _httpRequests);

    public IReadOnlyDictionary<string, int> CallsByAccount
    {
        get { lock (_gate) { return new Dictionary<string, int>(_byAccount); } }
    }

    public IReadOnlyDictionary<string, int> CallsByMethod
    {
        get { lock (_gate) { return new Dictionary<string, int>(_byMethod); } }
    }

    internal void Record(string accountKey, IReadOnlyList<string> methods)
    {
        lock (_gate)
        {
            _calls += methods.Count;
            _httpRequests++;
            _byAccount[accountKey] = _byAccount.GetValueOrDefault(accountKey) + methods.Count;
            foreach (var method in methods)
            {
                _byMethod[method] = _byMethod.GetValueOrDefault(method) + 1;
            }
        }
    }

    public void Dispose() => _onDispose(this);
}
