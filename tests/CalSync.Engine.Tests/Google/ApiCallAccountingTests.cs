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
    public async Task Metric_CountsCallsPerAccountAndMethod_BatchPartsIndividually()
    {
        var account = Guid.NewGuid().ToString();
        // A meter scope of this test's own: tests running in parallel create meters of the same name.
        using var meters = new ScopedMeterFactory();
        using var collector = new MetricCollector<long>(meters, ApiCallAccounting.MeterName, "calsync.google.calls");
        using var google = new FakeGoogle(database.DataSource, r => r.Uri.AbsolutePath.StartsWith("/batch", StringComparison.Ordinal)
            ? Batch(3)
            : FakeHandler.Json(HttpStatusCode.OK, """{"id":"e1"}"""), accountKey: account, accounting: new ApiCallAccounting(meters));

        await google.Client.GetEventAsync("primary", "e1", CancellationToken.None);
        await google.Client.ExecuteBatchAsync(
            [.. Enumerable.Range(0, 3).Select(i => CalendarOperation.DeleteEvent("primary", $"event{i:00000}", null))], CancellationToken.None);

        var mine = collector.GetMeasurementSnapshot().Where(m => Equals(m.Tags["google.account"], account)).ToList();
        Assert.Equal(1, mine.Where(m => Equals(m.Tags["google.method"], "calendar.events.get")).Sum(m => m.Value));
        Assert.Equal(3, mine.Where(m => Equals(m.Tags["google.method"], "calendar.events.delete")).Sum(m => m.Value));
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

    private static HttpResponseMessage Batch(int parts)
    {
        var body = string.Concat(Enumerable.Range(0, parts).Select(i =>
            $"--b\r\nContent-Type: application/http\r\nContent-ID: <response-item-{i}>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n\r\n")) + "--b--\r\n";
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body) };
        response.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/mixed; boundary=b");
        return response;
    }
}
