using Npgsql;

namespace CalSync.Engine.Runs;

/// <summary>
/// What a failure of a run's work means for the run. The Google client's errors carry it (status, reason):
/// rate limits and outages are retryable, honouring Retry-After; revoked access or a missing calendar are not.
/// </summary>
public interface IRunFailure
{
    /// <summary>Worth another attempt later (the run goes back to <c>queued</c> with a delay), or final.</summary>
    bool IsRetryable { get; }

    /// <summary>The least the next attempt should wait (Google's Retry-After), if the failure says.</summary>
    TimeSpan? RetryAfter { get; }
}

/// <summary>A classified failure of a run's work, for code that has no richer exception of its own.</summary>
public sealed class RunWorkException(string message, bool isRetryable, TimeSpan? retryAfter = null, Exception? innerException = null)
    : Exception(message, innerException), IRunFailure
{
    public bool IsRetryable { get; } = isRetryable;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>The sync's lock went with its PostgreSQL session (database restart, dropped connection): the attempt stops.</summary>
public sealed class RunLockLostException(Guid syncId, Exception? innerException = null)
    : Exception($"The lock of sync {syncId} was lost with its database session; the run is left to be taken over.", innerException);

/// <summary>Work failed in a way nobody classified (a bug): the run is failed and the message goes to the error queue.</summary>
public sealed class RunCrashedException(Run run, Exception innerException)
    : Exception($"Run {run.Id} of sync {run.SyncId} failed unexpectedly: {innerException.Message}", innerException)
{
    public Run Run { get; } = run;
}

public enum RunFailureKind
{
    /// <summary>Brief infrastructure trouble (a dropped database connection): retry the message at once.</summary>
    Transient,
    /// <summary>Rate limit or outage: queue the run again with a delay.</summary>
    Retryable,
    /// <summary>Revoked access, missing calendar and the like: fail the run, never retry.</summary>
    Permanent,
    /// <summary>Unclassified: fail the run and send the message to the error queue.</summary>
    Crash,
}

public static class RunFailures
{
    public static RunFailureKind Classify(Exception exception) => exception switch
    {
        IRunFailure failure => failure.IsRetryable ? RunFailureKind.Retryable : RunFailureKind.Permanent,
        RunLockLostException or TimeoutException => RunFailureKind.Transient,
        NpgsqlException { IsTransient: true } => RunFailureKind.Transient,
        HttpRequestException => RunFailureKind.Retryable,
        _ => RunFailureKind.Crash,
    };

    /// <summary>
    /// The wait before attempt <paramref name="attempt"/> + 1: exponential from the base, capped, with "equal
    /// jitter" (half fixed, half random) so retries of many syncs spread out, and never less than Retry-After.
    /// </summary>
    public static TimeSpan Backoff(int attempt, TimeSpan? retryAfter, RunOptions options, double random)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var ceiling = Math.Min(options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, exponent), options.RetryMaxDelay.TotalMilliseconds);
        var delay = TimeSpan.FromMilliseconds(ceiling / 2 + ceiling / 2 * random);
        return retryAfter is { } floor && floor > delay ? floor : delay;
    }
}
