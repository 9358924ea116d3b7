using System.Net;
using CalSync.Engine.Google;
using CalSync.Testing;
using Dapper;

namespace CalSync.Engine.Tests.Google.Quota;

/// <summary>Every quota refusal Google answers, to a single call or to batch parts, reaches the shared budget.</summary>
public sealed class QuotaRefusalTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "userRateLimitExceeded")]
    [InlineData(HttpStatusCode.Forbidden, "rateLimitExceeded")]
    [InlineData(HttpStatusCode.TooManyRequests, "rateLimitExceeded")]
    public async Task RefusedCall_LowersTheAccountsBudget(HttpStatusCode status, string reason)
    {
        var calls = 0;
        using var google = new FakeGoogle(database.DataSource, _ => ++calls == 1
            ? FakeHandler.Error(status, reason, "usageLimits")
            : FakeHandler.Json(HttpStatusCode.OK, """{"id":"e1"}"""));

        await google.Client.GetEventAsync("primary", "e1", CancellationToken.None);

        var (pace, refused) = await PaceAsync(google.Credential.AccountKey);
        Assert.Equal(1, refused);
        Assert.True(pace < google.Options.CallsPerWindow, $"pace {pace}");
    }

    [Fact]
    public async Task OtherErrors_LeaveTheBudgetAlone()
    {
        var calls = 0;
        using var google = new FakeGoogle(database.DataSource, _ => ++calls == 1
            ? FakeHandler.Error(HttpStatusCode.ServiceUnavailable, "backendError")
            : FakeHandler.Error(HttpStatusCode.Forbidden, "forbidden"));

        await Assert.ThrowsAsync<GoogleApiException>(() => google.Client.GetEventAsync("primary", "e1", CancellationToken.None));

        var (pace, refused) = await PaceAsync(google.Credential.AccountKey);
        Assert.Equal(0, refused);
        Assert.Null(pace);
    }

    [Fact]
    public async Task RefusedBatchParts_LowerTheAccountsBudget()
    {
        var batches = 0;
        const string refusedPart = """{"error":{"errors":[{"domain":"usageLimits","reason":"userRateLimitExceeded"}],"code":403}}""";
        using var google = new FakeGoogle(database.DataSource, _ => ++batches == 1
            ? BatchTests.BatchResponse(
                BatchTests.Part("response-item-0", "HTTP/1.1 204 No Content", ""),
                BatchTests.Part("response-item-1", "HTTP/1.1 403 Forbidden", refusedPart),
                BatchTests.Part("response-item-2", "HTTP/1.1 403 Forbidden", refusedPart))
            : BatchTests.BatchResponse(
                BatchTests.Part("response-item-0", "HTTP/1.1 204 No Content", ""),
                BatchTests.Part("response-item-1", "HTTP/1.1 204 No Content", "")));

        var results = await google.Client.ExecuteBatchAsync(
            [.. Enumerable.Range(1, 3).Select(i => CalendarOperation.DeleteEvent("primary", $"event0000{i}", null))], CancellationToken.None);

        Assert.All(results, r => Assert.True(r.Succeeded));
        var (pace, refused) = await PaceAsync(google.Credential.AccountKey);
        Assert.Equal(2, refused);
        Assert.True(pace < google.Options.CallsPerWindow, $"pace {pace}");
    }

    private async Task<(double? Pace, long Refused)> PaceAsync(string account)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<(double?, long)>(
            "select pace, refused from google_quota_accounts where account_key = @account", new { account });
    }
}
