using System.Diagnostics.Metrics;
using CalSync.Engine.Google.Transport;

namespace CalSync.Engine.Google.Accounting;

/// <summary>
/// Counts every Google call: into the current <see cref="ApiCallScope"/> (and its parents) for run reports, by account,
/// and into the <c>calsync.google.calls</c> and <c>calsync.google.http_requests</c> metrics by Calendar method and
/// outcome. Never by account: one series per tenant would grow <c>/metrics</c> without bound; a run's report has
/// its accounts.
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

    /// <summary>A request about to be sent spends quota: every scope of this flow counts it.</summary>
    internal void Record(string accountKey, IReadOnlyList<string> methods)
    {
        for (var scope = _current.Value; scope is not null; scope = scope.Parent)
        {
            scope.Record(accountKey, methods);
        }
    }

    /// <summary>
    /// An HTTP request to Google ended with <paramref name="outcome"/> (<see cref="GoogleTelemetry.Outcome(GoogleResponse)"/>).
    /// Its calls count with that outcome, except those of an answered batch: each part has an outcome of its own (<see cref="MeasureParts"/>).
    /// </summary>
    internal void Measure(GoogleRequest request, string outcome)
    {
        _httpRequests.Add(1, Tag(MethodTag, request.Name), Tag(OutcomeTag, outcome));
        if (request.IsBatch && outcome == "success")
        {
            return;
        }
        foreach (var group in request.Calls.GroupBy(m => m, StringComparer.Ordinal))
        {
            _calls.Add(group.Count(), Tag(MethodTag, group.Key), Tag(OutcomeTag, outcome));
        }
    }

    /// <summary>The parts of an answered batch, each with its method and outcome.</summary>
    internal void MeasureParts(IReadOnlyList<string> methods, IReadOnlyList<GoogleResponse> parts)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            _calls.Add(1, Tag(MethodTag, methods[i]), Tag(OutcomeTag, GoogleTelemetry.Outcome(parts[i])));
        }
    }

    private const string MethodTag = "google.method";
    private const string OutcomeTag = "google.outcome";

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

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
