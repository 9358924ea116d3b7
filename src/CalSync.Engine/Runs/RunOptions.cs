using System.ComponentModel.DataAnnotations;

namespace CalSync.Engine.Runs;

/// <summary>How runs are retried and guarded (configuration section <c>Runs</c>).</summary>
public sealed class RunOptions
{
    public const string SectionName = "Runs";

    /// <summary>Attempts a run gets for retryable failures (rate limits, outages) before it fails for good.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>First delayed-retry wait; it doubles with each attempt (with jitter) up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(15);

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How far ahead a run is put off when another run of its sync holds the lock: that run finishes soon,
    /// and the dispatcher re-publishes this one once the wait is over.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BusyRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a held sync lock checks that its PostgreSQL session is alive; a lost lock stops the run.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan LockCheckInterval { get; set; } = TimeSpan.FromSeconds(2);
}
