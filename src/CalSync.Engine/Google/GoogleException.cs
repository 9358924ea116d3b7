namespace CalSync.Engine.Google;

/// <summary>
/// Base of every failure of a Google call. Retry filters key off <see cref="IsRetryable"/>: true means the
/// same call may succeed later (rate limits, 5xx, network); false means retrying cannot help.
/// Messages never carry tokens.
/// </summary>
/// <remarks>Implements <see cref="Runs.IRunFailure"/>: a run that fails with it is retried later or failed for good, as it says.</remarks>
public abstract class GoogleException(string message, Exception? innerException = null) : Exception(message, innerException), Runs.IRunFailure
{
    /// <summary>Whether trying the same call again later can succeed.</summary>
    public abstract bool IsRetryable { get; }

    /// <summary>How long Google asked the caller to wait, when it said so.</summary>
    public virtual TimeSpan? RetryAfter => null;
}

/// <summary>Google could not be reached or did not answer in time (after the client's own retries).</summary>
public sealed class GoogleNetworkException(string method, Exception innerException)
    : GoogleException($"Google Calendar {method} failed: {innerException.GetType().Name}.", innerException)
{
    public string Method { get; } = method;
    public override bool IsRetryable => true;
}
