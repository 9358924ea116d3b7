using System.Collections.Concurrent;
using System.Text;
using CalSync.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace CalSync.Api.Tests;

/// <summary>With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, the Api sends its spans there over OTLP.</summary>
public sealed class OtlpExportTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Spans_go_to_the_OTLP_endpoint_the_environment_names()
    {
        var received = new ConcurrentQueue<byte[]>();
        await using var collector = await StartCollectorAsync(received);
        await using var api = fixture.Api.WithWebHostBuilder(web =>
        {
            web.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", collector.Urls.Single());
            web.UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
            // Send within a tenth of a second rather than the default five.
            web.UseSetting("OTEL_BSP_SCHEDULE_DELAY", "100");
        });
        using var client = api.CreateClient();

        using (await client.GetAsync("/api/me")) { } // 401, traced like any request

        // The export request is protobuf; its strings (service name, span name, attributes) stand in it as UTF-8.
        await Eventually.ReachesAsync(() => Task.FromResult(received.Select(Encoding.UTF8.GetString).ToList()),
            bodies => bodies.Any(b => b.Contains("calsync-api", StringComparison.Ordinal) && b.Contains("/api/me", StringComparison.Ordinal)),
            "the Api's span of GET /api/me at the OTLP endpoint");
    }

    private static async Task<WebApplication> StartCollectorAsync(ConcurrentQueue<byte[]> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var collector = builder.Build();
        collector.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Enqueue(body.ToArray());
            // An empty ExportTraceServiceResponse: everything accepted.
            return Results.Bytes([], "application/x-protobuf");
        });
        await collector.StartAsync();
        return collector;
    }
}
