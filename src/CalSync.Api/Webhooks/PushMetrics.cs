using System.Diagnostics.Metrics;

namespace CalSync.Api.Webhooks;

/// <summary>
/// Push measurements (meter <c>CalSync.Push</c>), served on the Api's <c>/metrics</c>: notifications by outcome
/// (<c>calsync_push_notifications_total{outcome}</c>), notifications folded into a run already on its way
/// (<c>calsync_push_coalesced_total</c>), and how long a notification waited for its run to be queued
/// (<c>calsync_push_to_run_seconds</c>). One meter per process, as <c>RunMetrics</c>.
/// </summary>
public sealed class PushMetrics
{
    public const string MeterName = "CalSync.Push";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Notifications = Meter.CreateCounter<long>(
        "calsync.push.notifications", description: "Google push notifications received, by outcome");

    private static readonly Counter<long> CoalescedTotal = Meter.CreateCounter<long>(
        "calsync.push.coalesced", description: "Push notifications of a sync folded into a run already waiting");

    // 10 ms to about 40 s: the debounce plus queueing, not a run's duration.
    private static readonly Histogram<double> Latency = Meter.CreateHistogram(
        "calsync.push_to_run", "s", "Time from a push notification to its run being queued", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [.. Enumerable.Range(0, 12).Select(i => 0.01 * Math.Pow(2, i))] });

    /// <summary><paramref name="outcome"/>: <c>accepted</c>, or why it was ignored (<c>sync</c>, <c>unknown</c>, <c>stopped</c>, <c>unverified</c>).</summary>
    public void Received(string outcome) => Notifications.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Coalesced() => CoalescedTotal.Add(1);

    public void Queued(TimeSpan sinceNotification) => Latency.Record(Math.Max(0, sinceNotification.TotalSeconds));
}
