using System.Diagnostics.Metrics;
using System.Net;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Accounting;
using CalSync.Testing;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace CalSync.Engine.Tests.Google;

public sealed class ApiCallAccountingTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Metric_CountsCallsByMethodAndOutcome_BatchPartsIndividually_AndNeverByAccount()
    {
        // A meter scope of this test's own: tests running in parallel create meters of the same name.
        using var meters = new ScopedMeterFactory();
        using var calls = new MetricCollector<long>(meters, ApiCallAccounting.MeterName, "calsync.google.calls");
        using var requests = new MetricCollector<long>(meters, ApiCallAccounting.MeterName, "calsync.google.http_requests");
        using var google = new FakeGoogle(database.DataSource, r => r.Uri.AbsolutePath.StartsWith("/batch", StringComparison.Ordinal)
            ? Batch(3, failing: 1)
            : r.Uri.AbsolutePath.EndsWith("/missing", StringComparison.Ordinal)
                ? FakeHandler.Json(HttpStatusCode.NotFound, """{"error":{"code":404,"message":"Not Found","errors":[{"reason":"notFound"}]}}""")
                : FakeHandler.Json(HttpStatusCode.OK, """{"id":"e1"}"""), accounting: new ApiCallAccounting(meters));

        await google.Client.GetEventAsync("primary", "e1", CancellationToken.None);
        await google.Client.GetEventAsync("primary", "missing", CancellationToken.None);
        await google.Client.ExecuteBatchAsync(
            [.. Enumerable.Range(0, 3).Select(i => CalendarOperation.DeleteEvent("primary", $"event{i:00000}", null))], CancellationToken.None);

        var measured = calls.GetMeasurementSnapshot();
        Assert.Equal(1, Sum(measured, "calendar.events.get", "success"));
        Assert.Equal(1, Sum(measured, "calendar.events.get", "client_error"));
        Assert.Equal(2, Sum(measured, "calendar.events.delete", "success"));
        Assert.Equal(1, Sum(measured, "calendar.events.delete", "client_error"));
        Assert.Equal(1, Sum(requests.GetMeasurementSnapshot(), "batch", "success"));
        Assert.All(measured.Concat(requests.GetMeasurementSnapshot()), m => Assert.Equal(["google.method", "google.outcome"], m.Tags.Keys.Order(StringComparer.Ordinal)));

        static long Sum(IEnumerable<CollectedMeasurement<long>> measurements, string method, string outcome) =>
            measurements.Where(m => Equals(m.Tags["google.method"], method) && Equals(m.Tags["google.outcome"], outcome)).Sum(m => m.Value);
    }

    [Fact]
    public async Task Scopes_NestAndEndOnDispose()
    {
        using var google = new FakeGoogle(database.DataSource, _ => FakeHandler.Json(HttpStatusCode.OK, """{"id":"e1"}"""));
        using var outer = google.Accounting.BeginScope();
        using (var inner = google.Accounting.BeginScope())
        {
            await google.Client.GetEventAsync("primary", "e1", CancellationToken.None);
            Assert.Equal(1, inner.Calls);
        }

        await google.Client.GetEventAsync("primary", "e1", CancellationToken.None);

        Assert.Equal(2, outer.Calls);
        Assert.Same(outer, google.Accounting.Current);
    }

    private sealed class ScopedMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }

    /// <summary>A batch answer of <paramref name="parts"/> deletions, the last <paramref name="failing"/> of them refused with 403 forbidden.</summary>
    private static HttpResponseMessage Batch(int parts, int failing)
    {
        var body = string.Concat(Enumerable.Range(0, parts).Select(i => i < parts - failing
            ? $"--b\r\nContent-Type: application/http\r\nContent-ID: <response-item-{i}>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n\r\n"
            : $"--b\r\nContent-Type: application/http\r\nContent-ID: <response-item-{i}>\r\n\r\nHTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n\r\n" +
              """{"error":{"code":403,"message":"Forbidden","errors":[{"reason":"forbidden"}]}}""" + "\r\n")) + "--b--\r\n";
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body) };
        response.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/mixed; boundary=b");
        return response;
    }
}
