using CalSync.Engine.Runs;
using Npgsql;

namespace CalSync.Engine.Tests.Runs;

public sealed class RunFailuresTests
{
    private static readonly RunOptions Options = new() { RetryBaseDelay = TimeSpan.FromSeconds(10), RetryMaxDelay = TimeSpan.FromMinutes(5) };

    [Theory]
    [InlineData(1, 0.0, 5)]
    [InlineData(1, 1.0, 10)]
    [InlineData(3, 1.0, 40)]
    [InlineData(20, 1.0, 300)]
    [InlineData(20, 0.0, 150)]
    public void Backoff_Attempt_GrowsExponentiallyWithJitterUpToTheCap(int attempt, double random, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RunFailures.Backoff(attempt, retryAfter: null, Options, random));
    }

    [Fact]
    public void Backoff_RetryAfterLongerThanBackoff_WaitsRetryAfter()
    {
        Assert.Equal(TimeSpan.FromMinutes(30), RunFailures.Backoff(1, TimeSpan.FromMinutes(30), Options, 0.5));
    }

    [Fact]
    public void Classify_KnownFailures_MapToTheirKinds()
    {
        Assert.Equal(RunFailureKind.Retryable, RunFailures.Classify(new RunWorkException("429", isRetryable: true)));
        Assert.Equal(RunFailureKind.Permanent, RunFailures.Classify(new RunWorkException("invalid_grant", isRetryable: false)));
        Assert.Equal(RunFailureKind.Transient, RunFailures.Classify(new TimeoutException()));
        Assert.Equal(RunFailureKind.Transient, RunFailures.Classify(new RunLockLostException(Guid.NewGuid())));
        Assert.Equal(RunFailureKind.Transient, RunFailures.Classify(new NpgsqlException("connection reset", new System.IO.IOException())));
        Assert.Equal(RunFailureKind.Retryable, RunFailures.Classify(new HttpRequestException("connection refused")));
        Assert.Equal(RunFailureKind.Crash, RunFailures.Classify(new InvalidOperationException("bug")));
    }
}
