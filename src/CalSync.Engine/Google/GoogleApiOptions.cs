using System.ComponentModel.DataAnnotations;

namespace CalSync.Engine.Google;

/// <summary>
/// Where the Calendar API lives and how hard CalSync may use it (section <c>Google</c>, e.g.
/// <c>Google__CalendarBaseUri</c>). Defaults are Google's; sandbox mode and tests point the URIs at the emulator.
/// </summary>
public sealed class GoogleApiOptions
{
    public const string SectionName = "Google";

    /// <summary>Base of the Calendar v3 REST paths; must end with <c>/</c>.</summary>
    [Required]
    public Uri CalendarBaseUri { get; set; } = new("https://www.googleapis.com/calendar/v3/");

    /// <summary>The batch endpoint (Google's is not derived from the REST base).</summary>
    [Required]
    public Uri BatchUri { get; set; } = new("https://www.googleapis.com/batch/calendar/v3");

    /// <summary>
    /// Calls per <see cref="RateLimitWindow"/> that all CalSync processes together spend per Google account (Google's
    /// per-user quota, 600 a minute by default). When Google refuses calls for quota, the account's pace drops below
    /// this and recovers slowly.
    /// </summary>
    [Range(1, 1_000_000)]
    public int CallsPerWindow { get; set; } = 600;

    /// <summary>Calls per <see cref="RateLimitWindow"/> that all CalSync processes together spend over all accounts (Google's per-project quota, 10,000 a minute by default).</summary>
    [Range(1, 10_000_000)]
    public int ProjectCallsPerWindow { get; set; } = 10_000;

    /// <summary>The quota window; one minute at Google. Tests scale it down together with the emulator's.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How much longer than the window a leased permit counts against the budgets, for delays between taking it and
    /// the call reaching Google (scheduling, network). Unset: a twentieth of the window, at least 250 ms (3 s at Google).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan? RateLimitMargin { get; set; }

    /// <summary>Retries of one call after transient failures (5xx, 429, 403 rate limits, network).</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>First backoff delay; doubles per retry, with jitter (Google's recommended algorithm).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of one backoff delay.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(32);

    /// <summary>
    /// Total time one call may spend retrying. A Retry-After beyond it ends the call with a retryable
    /// error, so the worker reschedules the run instead of holding a consumer.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Timeout of a single HTTP request.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Parts per batch request; Calendar accepted 50 historically, so never more.</summary>
    [Range(1, 50)]
    public int MaxBatchSize { get; set; } = 50;

    /// <summary>Points every Calendar URI at one root (the emulator): <c>{root}/calendar/v3/</c> and <c>{root}/batch/calendar/v3</c>.</summary>
    public void UseRoot(Uri root)
    {
        ArgumentNullException.ThrowIfNull(root);
        CalendarBaseUri = new Uri(root, "/calendar/v3/");
        BatchUri = new Uri(root, "/batch/calendar/v3");
    }
}
