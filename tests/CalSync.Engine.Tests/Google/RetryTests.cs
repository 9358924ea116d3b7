using System.Net;
using CalSync.Engine.Google;
using CalSync.Testing;

namespace CalSync.Engine.Tests.Google;

public sealed class RetryTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "rateLimitExceeded")]
    [InlineData(HttpStatusCode.Forbidden, "userRateLimitExceeded")]
    [InlineData(HttpStatusCode.TooManyRequests, "rateLimitExceeded")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "backendError")]
    [InlineData(HttpStatusCode.InternalServerError, "backendError")]
    public async Task TransientError_IsRetriedUntilSuccess(HttpStatusCode status, string reason)
    {
        var calls = 0;
        using var google = new FakeGoogle(database.DataSource, _ => ++calls < 3
            ? FakeHandler.Error(status, reason, "usageLimits")
            : FakeHandler.Json(HttpStatusCode.OK, """{"id":"e1"}"""));

        var found = await google.Client.GetEventAsync("primary", "e1", CancellationToken.None);

        Assert.Equal("e1", found!.Id);
        Assert.Equal(3, calls);
    }

    [Theory]
    [InlineData("forbidden")]
    [InlineData("insufficientPermissions")]
    [InlineData("quotaExceeded")]
    public async Task OtherForbidden_IsNotRetried(string reason)
    {
        using var google = new FakeGoogle(database.DataSource, _ => FakeHandler.Error(HttpStatusCode.Forbidden, reason));

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => google.Client.GetEventAsync("primary", "e1", CancellationToken.None));

        Assert.Single(google.Handler.Requests);
        Assert.False(error.IsRetryable);
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public async Task PersistentRateLimit_ThrowsRetryableAfterBoundedAttempts()
    {
        using var google = new FakeGoogle(database.DataSource, _ => FakeHandler.Error(HttpStatusCode.Forbidden, "rateLimitExceeded", "usageLimits"));

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => google.Client.GetEventAsync("primary", "e1", CancellationToken.None));

        Assert.True(error.IsRetryable);
        Assert.True(error.IsRateLimited);
        Assert.Equal(1 + google.Options.MaxRetryAttempts, google.Handler.Requests.Count);
    }

    [Fact]
    public async Task RetryAfter_IsHonoured()
    {
        var calls = 0;
        using var google = new FakeGoogle(database.DataSource, _ => ++calls == 1
            ? FakeHandler.Error(HttpStatusCode.TooManyRequests, "rateLimitExceeded", "usageLimits", retryAfterSeconds: 1)
            : FakeHandler.Json(HttpStatusCode.OK, """{"id":"e1"}"""));
        var started = TimeProvider.System.GetTimestamp();

        await google.Client.GetEventAsync("primary", "e1", CancellationToken.None);

        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(0.95));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task RetryAfter_BeyondBudget_FailsAtOnceWithRetryAfter()
    {
        using var google = new FakeGoogle(database.DataSource, 
            _ => FakeHandler.Error(HttpStatusCode.TooManyRequests, "rateLimitExceeded", "usageLimits", retryAfterSeconds: 120),
            o => o.RetryBudget = TimeSpan.FromSeconds(10));

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => google.Client.GetEventAsync("primary", "e1", CancellationToken.None));

        Assert.Single(google.Handler.Requests);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public async Task Unauthorized_RefreshesOnceAndRetries()
    {
        using var google = new FakeGoogle(database.DataSource, r => r.Bearer == "token-1"
            ? FakeHandler.Error(HttpStatusCode.Unauthorized, "authError")
            : FakeHandler.Json(HttpStatusCode.OK, """{"id":"e1"}"""));

        await google.Client.GetEventAsync("primary", "e1", CancellationToken.None);

        Assert.Equal(1, google.Credential.Refreshes);
        Assert.Equal(["token-1", "token-1-refreshed"], google.Handler.Requests.Select(r => r.Bearer));
    }

    [Fact]
    public async Task Unauthorized_Twice_ThrowsWithoutSecondRefresh()
    {
        using var google = new FakeGoogle(database.DataSource, _ => FakeHandler.Error(HttpStatusCode.Unauthorized, "authError"));

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => google.Client.GetEventAsync("primary", "e1", CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(1, google.Credential.Refreshes);
        Assert.Equal(2, google.Handler.Requests.Count);
    }

    [Fact]
    public async Task BatchRequest_Unauthorized_RefreshesOnceAndResends()
    {
        using var google = new FakeGoogle(database.DataSource, r => r.Bearer == "token-1"
            ? FakeHandler.Error(HttpStatusCode.Unauthorized, "authError")
            : BatchTests.BatchResponse(BatchTests.Part("response-item-0", "HTTP/1.1 204 No Content", "")));

        var results = await google.Client.ExecuteBatchAsync([CalendarOperation.DeleteEvent("primary", "event00001", null)], CancellationToken.None);

        Assert.True(results.Single().Succeeded);
        Assert.Equal(1, google.Credential.Refreshes);
        Assert.Equal(2, google.Handler.Requests.Count);
    }

    [Fact]
    public async Task RateLimiter_PacesCallsOfOneAccountToTheBudget()
    {
        using var google = new FakeGoogle(database.DataSource, _ => FakeHandler.Json(HttpStatusCode.OK, """{"id":"e1"}"""), o =>
        {
            o.CallsPerWindow = 10;
            o.RateLimitWindow = TimeSpan.FromMilliseconds(400);
        });
        var started = TimeProvider.System.GetTimestamp();

        await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => google.Client.GetEventAsync("primary", "e1", CancellationToken.None)));

        // 25 calls at 10 per window need at least two further windows after the first ten.
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(800));
        Assert.Equal(25, google.Handler.Requests.Count);
    }

    [Fact]
    public async Task NetworkFailure_IsRetriedThenThrowsRetryableNetworkException()
    {
        using var google = new FakeGoogle(database.DataSource, _ => throw new HttpRequestException("connection refused"));

        var error = await Assert.ThrowsAsync<GoogleNetworkException>(() => google.Client.GetEventAsync("primary", "e1", CancellationToken.None));

        Assert.True(error.IsRetryable);
        Assert.Equal(1 + google.Options.MaxRetryAttempts, google.Handler.Requests.Count);
    }

    [Fact]
    public async Task Accounting_CountsEveryAttemptInScope()
    {
        var calls = 0;
        using var google = new FakeGoogle(database.DataSource, _ => ++calls == 1
            ? FakeHandler.Error(HttpStatusCode.ServiceUnavailable, "backendError")
            : FakeHandler.Json(HttpStatusCode.OK, """{"id":"e1"}"""));

        using var scope = google.Accounting.BeginScope();
        await google.Client.GetEventAsync("primary", "e1", CancellationToken.None);

        Assert.Equal(2, scope.Calls);
        Assert.Equal(2, scope.CallsByAccount[google.Credential.AccountKey]);
        Assert.Equal(2, scope.CallsByMethod["calendar.events.get"]);
    }
}
