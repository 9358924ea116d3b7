using System.Net;
using System.Text;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Batch;
using CalSync.Engine.Google.Models;
using CalSync.Testing;

namespace CalSync.Engine.Tests.Google;

public sealed class BatchTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static GoogleEvent Event(int n) => new()
    {
        Id = $"event0000{n}",
        Summary = $"e{n}",
        Start = EventDateTime.AllDay(new DateOnly(2026, 12, 1)),
        End = EventDateTime.AllDay(new DateOnly(2026, 12, 2)),
    };

    [Fact]
    public void Encode_WritesOneHttpPartPerOperationWithPathOnly()
    {
        CalendarOperation[] operations =
        [
            CalendarOperation.InsertEvent("a@b.com", Event(1)),
            CalendarOperation.DeleteEvent("primary", "event00002", "\"7\""),
        ];

        var (body, contentType) = BatchEncoder.Encode(operations, new Uri("http://google.test/calendar/v3/"), "b0");
        var text = Encoding.UTF8.GetString(body);

        Assert.Equal("multipart/mixed; boundary=b0", contentType);
        Assert.Contains("--b0\r\nContent-Type: application/http\r\nContent-ID: <item-0>\r\n\r\nPOST /calendar/v3/calendars/a%40b.com/events?sendUpdates=none&conferenceDataVersion=1 HTTP/1.1\r\n", text, StringComparison.Ordinal);
        Assert.Contains("DELETE /calendar/v3/calendars/primary/events/event00002?sendUpdates=none HTTP/1.1\r\nIf-Match: \"7\"\r\n\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"event00001\"", text, StringComparison.Ordinal);
        Assert.EndsWith("--b0--\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_QuotedBoundaryLfLinesNoContentId_MapsByPosition()
    {
        var body = "--xyz\nContent-Type: application/http\n\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"id\":\"a\"}\n--xyz\nContent-Type: application/http\n\nHTTP/1.1 404 Not Found\n\n{\"error\":{\"errors\":[{\"reason\":\"notFound\"}],\"code\":404}}\n--xyz--\n";

        var parts = BatchParser.Parse(Encoding.UTF8.GetBytes(body), "multipart/mixed; boundary=\"xyz\"");

        Assert.Equal(2, parts.Count);
        Assert.Null(parts[0].Index);
        Assert.Equal(HttpStatusCode.OK, parts[0].Response.Status);
        Assert.Equal("{\"id\":\"a\"}", Encoding.UTF8.GetString(parts[0].Response.Body));
        Assert.Equal("notFound", parts[1].Response.Reason);
    }

    [Fact]
    public async Task ExecuteBatchAsync_MixedParts_MapsResultsByContentIdAndCountsEachPart()
    {
        using var google = new FakeGoogle(database.DataSource, _ => BatchResponse(
            Part("response-item-1", "HTTP/1.1 409 Conflict", """{"error":{"errors":[{"domain":"global","reason":"duplicate"}],"code":409,"message":"The requested identifier already exists."}}"""),
            Part("response-item-0", "HTTP/1.1 200 OK", """{"id":"event00001","etag":"\"1\""}"""),
            Part("response-item-2", "HTTP/1.1 204 No Content", "")));
        using var scope = google.Accounting.BeginScope();

        var results = await google.Client.ExecuteBatchAsync(
            [CalendarOperation.InsertEvent("primary", Event(1)), CalendarOperation.InsertEvent("primary", Event(2)), CalendarOperation.DeleteEvent("primary", "event00003", null)],
            CancellationToken.None);

        Assert.Equal("event00001", results[0].Event!.Id);
        Assert.True(results[1].Error!.IsConflict);
        Assert.True(results[2].Succeeded);
        Assert.Null(results[2].Event);
        var request = google.Handler.Requests.Single();
        Assert.Equal("/batch/calendar/v3", request.Uri.AbsolutePath);
        Assert.StartsWith("multipart/mixed; boundary=", request.ContentType, StringComparison.Ordinal);
        Assert.Equal(3, scope.Calls);
        Assert.Equal(1, scope.HttpRequests);
    }

    [Fact]
    public async Task ExecuteBatchAsync_RateLimitedPart_IsSentAgainAlone()
    {
        var batches = 0;
        using var google = new FakeGoogle(database.DataSource, r =>
        {
            batches++;
            return batches == 1
                ? BatchResponse(
                    Part("response-item-0", "HTTP/1.1 200 OK", """{"id":"event00001"}"""),
                    Part("response-item-1", "HTTP/1.1 403 Forbidden", """{"error":{"errors":[{"domain":"usageLimits","reason":"rateLimitExceeded"}],"code":403}}"""))
                : BatchResponse(Part("response-item-0", "HTTP/1.1 200 OK", """{"id":"event00002"}"""));
        });

        var results = await google.Client.ExecuteBatchAsync(
            [CalendarOperation.InsertEvent("primary", Event(1)), CalendarOperation.InsertEvent("primary", Event(2))], CancellationToken.None);

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal("event00002", results[1].Event!.Id);
        Assert.Equal(2, batches);
        Assert.Contains("event00002", google.Handler.Requests[1].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("event00001", google.Handler.Requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteBatchAsync_MoreThanMaxBatchSize_SplitsIntoRequestsOfAtMost50()
    {
        using var google = new FakeGoogle(database.DataSource, r =>
        {
            var count = r.Body!.Split("Content-ID: <item-").Length - 1;
            return BatchResponse([.. Enumerable.Range(0, count).Select(i => Part($"response-item-{i}", "HTTP/1.1 204 No Content", ""))]);
        });

        var results = await google.Client.ExecuteBatchAsync(
            [.. Enumerable.Range(0, 120).Select(i => CalendarOperation.DeleteEvent("primary", $"event{i:00000}", null))], CancellationToken.None);

        Assert.Equal(120, results.Count);
        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal([50, 50, 20], google.Handler.Requests.Select(r => r.Body!.Split("Content-ID: <item-").Length - 1));
    }

    [Fact]
    public async Task ExecuteBatchAsync_RetryAfterBeyondBudget_ReportsGooglesAnswer()
    {
        using var google = new FakeGoogle(database.DataSource, _ => BatchResponse(Part("response-item-0", "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 120",
            """{"error":{"errors":[{"domain":"usageLimits","reason":"rateLimitExceeded"}],"code":429}}""")), o => o.RetryBudget = TimeSpan.FromSeconds(5));

        var result = (await google.Client.ExecuteBatchAsync([CalendarOperation.DeleteEvent("primary", "event00001", null)], CancellationToken.None)).Single();

        Assert.Equal(HttpStatusCode.TooManyRequests, result.Status);
        Assert.True(result.Error!.IsRateLimited);
        Assert.Equal(TimeSpan.FromSeconds(120), result.Error.RetryAfter);
        Assert.Single(google.Handler.Requests);
    }

    [Fact]
    public async Task ExecuteBatchAsync_ResponseNotMultipart_ThrowsRetryableGoogleApiException()
    {
        using var google = new FakeGoogle(database.DataSource, _ => FakeHandler.Json(HttpStatusCode.OK, "{}"));

        var error = await Assert.ThrowsAsync<GoogleApiException>(() =>
            google.Client.ExecuteBatchAsync([CalendarOperation.DeleteEvent("primary", "event00001", null)], CancellationToken.None));

        Assert.True(error.IsRetryable);
        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
    }

    internal static string Part(string contentId, string statusLine, string body) =>
        $"Content-Type: application/http\r\nContent-ID: <{contentId}>\r\n\r\n{statusLine}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{body}\r\n";

    internal static HttpResponseMessage BatchResponse(params string[] parts)
    {
        var body = string.Concat(parts.Select(p => "--batch_r\r\n" + p)) + "--batch_r--\r\n";
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8) };
        response.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/mixed; boundary=batch_r");
        return response;
    }
}
