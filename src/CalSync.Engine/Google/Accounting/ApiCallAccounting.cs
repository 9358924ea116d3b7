using System.Diagnostics.Metrics;

namespace CalSync.Engine.Google.Accounting;

/// <summary>
/// Counts every Google call: into the current <see cref="ApiCallScope"/> (and its parents) for run reports,
/// and into the <c>calsync.google.calls</c> metric tagged with the Google account and Calendar method.
/// </summary>
public sealed class ApiCallAccounting : IDisposable
{
    public const string MeterName = "CalSync.Google";

    private readonly AsyncLocal<ApiCallScope?> _current = new();
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _httpRequests;

    public ApiCallAccounting(IMeterFactory? meterFactory = null)
    {
        // Meters from an IMeterFactory belong to the factory, which disposes them.
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _calls = _meter.CreateCounter<long>("calsync.google.calls", "{call}", "Google Calendar calls (quota units; batch parts count individually).");
        _httpRequests = _meter.CreateCounter<long>("calsync.google.http_requests", "{request}", "HTTP requests sent to Google Calendar.");
    }

    /// <summary>The innermost scope of this async flow, if any.</summary>
    public ApiCallScope? Current => _current.Value;

    /// <summary>Starts counting for the current async flow (one per run); calls from tasks started inside it count too.</summary>
    public ApiCallScope BeginScope()
    {
        var scope = new ApiCallScope(_current.Value, EndScope);
        _current.Value = scope;
        return scope;
    }

    internal void Record(string accountKey, IReadOnlyList<string> methods)
    {
        for (var scope = _current.Value; scope is not null; scope = scope.Parent)
        {
            scope.Record(accountKey, methods);
        }
        _httpRequests.Add(1, new KeyValuePair<string, object?>("google.account", accountKey));
        foreach (var group in methods.GroupBy(m => m, StringComparer.Ordinal))
        {
            _calls.Add(group.Count(),
                new KeyValuePair<string, object?>("google.account", accountKey),
                new KeyValuePair<string, object?>("google.method", group.Key));
        }
    }

    private void EndScope(ApiCallScope scope)
    {
        if (ReferenceEquals(_current.Value, scope))
        {
            _current.Value = scope.Parent;
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
