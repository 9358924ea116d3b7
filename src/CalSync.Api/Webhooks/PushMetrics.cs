using Prometheus;

namespace CalSync.Api.Webhooks;

/// <summary>
/// Push measurements on <c>/metrics</c>: notifications by outcome (<c>calsync_push_notifications_total{outcome}</c>),
/// notifications folded into a run already on its way (<c>calsync_push_coalesced_total</c>), and how long a
/// notification waited for its run to be queued (<c>calsync_push_to_run_seconds</c>).
/// </summary>
public sealed class PushMetrics
{
    private static readonly Counter Notifications = Metrics.CreateCounter(
        "calsync_push_notifications_total", "Google push notifications received, by outcome", "outcome");

    private static readonly Counter CoalescedTotal = Metrics.CreateCounter(
        "calsync_push_coalesced_total", "Push notifications of a sync folded into a run already waiting");

    // 10 ms to about 40 s: the debounce plus queueing, not a run's duration.
    private static readonly Histogram Latency = Metrics.CreateHistogram(
        "calsync_push_to_run_seconds", "Time from a push notification to its run being queued",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.01, 2, 12) });

    /// <summary><paramref name="outcome"/>: <c>accepted</c>, or why it was ignored (<c>sync</c>, <c>unknown</c>, <c>stopped</c>, <c>unverified</c>).</summary>
    public void Received(string outcome) => Notifications.WithLabels(outcome).Inc();

    public void Coalesced() => CoalescedTotal.Inc();

    public void Queued(TimeSpan sinceNotification) => Latency.Observe(Math.Max(0, sinceNotification.TotalSeconds));
}
