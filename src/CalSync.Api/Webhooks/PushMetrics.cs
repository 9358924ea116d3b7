using System.Diagnostics.Metrics;

namespace CalSync.Api.Webhooks;

/// <summary>
/// Push measurements on the <c>CalSync.Push</c> meter (exported on <c>/metrics</c>): notifications by outcome,
/// how many were folded into a run already on its way, and how long a notification waited for its run.
/// </summary>
public sealed class PushMetrics
{
    public const string MeterName = "CalSync.Push";

    private static readonly Meter Meter = new(MeterName);
    private readonly Counter<long> _received = Meter.CreateCounter<long>("push.notifications", description: "Push notifications received, by outcome");
    private readonly Counter<long> _coalesced = Meter.CreateCounter<long>("push.coalesced", description: "Notifications of a sync folded into a run already waiting");
    private readonly Histogram<double> _latency = Meter.CreateHistogram<double>("push.to_run.seconds", description: "Time from a notification to its run being queued, in seconds");

    /// <summary><paramref name="outcome"/>: <c>accepted</c>, or why it was ignored (<c>sync</c>, <c>unknown</c>, <c>stopped</c>, <c>unverified</c>).</summary>
    public void Received(string outcome) => _received.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Coalesced() => _coalesced.Add(1);

    public void Queued(TimeSpan sinceNotification) => _latency.Record(Math.Max(0, sinceNotification.TotalSeconds));
}
