using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace CalSync.Engine.Google.Transport;

/// <summary>
/// Keeps this process under <see cref="GoogleApiOptions.CallsPerWindow"/> calls per Google account in any
/// sliding <see cref="GoogleApiOptions.RateLimitWindow"/>, pacing callers instead of provoking 403/429.
/// Every batch part takes a permit. A segmented sliding window counts whole segments, so with W/S segments it
/// looks back between (S-1)/S and a full window. Two extra segments make it look back at least W + W/S: Google's
/// exact sliding window never sees more than the budget, with W/S (5 %) to spare for network jitter.
/// </summary>
public sealed class GoogleRateLimiter : IAsyncDisposable, IDisposable
{
    private const int Segments = 20;
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly int _permitLimit;

    public GoogleRateLimiter(IOptions<GoogleApiOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _permitLimit = o.CallsPerWindow;
        var segment = o.RateLimitWindow / Segments;
        _limiter = PartitionedRateLimiter.Create<string, string>(account => RateLimitPartition.GetSlidingWindowLimiter(
            account,
            _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = o.CallsPerWindow,
                Window = segment * (Segments + 2),
                SegmentsPerWindow = Segments + 2,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Waits until <paramref name="calls"/> more calls fit into the account's budget.</summary>
    public async ValueTask AcquireAsync(string accountKey, int calls, CancellationToken cancellationToken)
    {
        // A batch larger than the whole budget would wait forever; it still counts as the full budget.
        using var lease = await _limiter.AcquireAsync(accountKey, Math.Min(calls, _permitLimit), cancellationToken);
        if (!lease.IsAcquired)
        {
            throw new InvalidOperationException("The Google rate limiter refused a lease although its queue is unbounded.");
        }
    }

    public void Dispose() => _limiter.Dispose();

    public ValueTask DisposeAsync() => _limiter.DisposeAsync();
}
