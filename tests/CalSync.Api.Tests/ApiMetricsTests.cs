using CalSync.Api.Webhooks;
using CalSync.Testing;

namespace CalSync.Api.Tests;

/// <summary>The names the README documents for the Api's <c>/metrics</c>, as Prometheus scrapes them from the management port.</summary>
public sealed class ApiMetricsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Push_measurements_keep_their_Prometheus_names()
    {
        var (publicPort, managementPort) = (WorkerProcess.FreePort(), WorkerProcess.FreePort());
        await using var api = fixture.Api.WithWebHostBuilder(web =>
        {
            web.UseSetting("urls", $"http://127.0.0.1:{publicPort}");
            web.UseSetting("Management:Urls", $"http://127.0.0.1:{managementPort}");
        });
        api.UseKestrel();
        api.StartServer();
        var push = new PushMetrics();
        using var client = new HttpClient();

        push.Received("accepted");
        push.Coalesced();
        push.Queued(TimeSpan.FromMilliseconds(30));

        var metrics = await Eventually.ReachesAsync(() => client.GetStringAsync($"http://127.0.0.1:{managementPort}/metrics"),
            m => m.Contains("calsync_push_to_run_seconds_bucket", StringComparison.Ordinal), "the push metrics");
        var lines = metrics.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("calsync_push_notifications_total{", StringComparison.Ordinal) && l.Contains("outcome=\"accepted\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("calsync_push_coalesced_total", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("calsync_push_to_run_seconds_count", StringComparison.Ordinal));
        Assert.Contains("# TYPE calsync_push_to_run_seconds histogram", metrics, StringComparison.Ordinal);
    }

}
