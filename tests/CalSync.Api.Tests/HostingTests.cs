using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CalSync.Api.Tests;

public sealed class HostingTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Liveness_answers_ok()
    {
        using var client = fixture.Api.CreateClient();

        using var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readiness_checks_postgresql_and_rabbitmq()
    {
        using var client = fixture.Api.CreateClient();

        using var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Contains("postgresql", checks);
        Assert.Contains(checks, name => name!.Contains("masstransit", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Readiness_fails_when_postgresql_is_unreachable()
    {
        await using var api = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            fixture.UseGoogle(web);
            // Port 1 on loopback refuses connections: a database that is down.
            web.UseSetting("Database:ConnectionString", "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=2");
            web.UseSetting("Database:MigrateOnStart", "false");
            web.UseSetting("Broker:Uri", fixture.Broker.Uri.ToString());
        });
        using var client = api.CreateClient();

        using var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_api()
    {
        using var client = fixture.Api.CreateClient();

        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("CalSync API", document.RootElement.GetProperty("info").GetProperty("title").GetString());
        Assert.True(document.RootElement.GetProperty("paths").TryGetProperty("/health/ready", out _));
    }

    [Fact]
    public async Task Metrics_count_requests_by_route_and_status_for_Prometheus()
    {
        using var client = fixture.Api.CreateClient();
        using (await client.GetAsync("/api/me")) { } // 401: unauthenticated

        var metrics = await client.GetStringAsync("/metrics");

        Assert.Contains("# TYPE http_requests_received_total counter", metrics, StringComparison.Ordinal);
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("http_requests_received_total{", StringComparison.Ordinal)
            && line.Contains("code=\"401\"", StringComparison.Ordinal) && line.Contains("endpoint=\"/api/me\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_API_docs_page_is_served()
    {
        using var client = fixture.Api.CreateClient();

        using var response = await client.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_connection_string_stops_start_up()
    {
        await using var api = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            fixture.UseGoogle(web);
            web.UseSetting("Database:ConnectionString", "this is = not ; a connection string ;;=");
            web.UseSetting("Broker:Uri", fixture.Broker.Uri.ToString());
        });

        var error = Assert.ThrowsAny<Exception>(() => api.Services);

        Assert.Contains("Database:ConnectionString", error.ToString(), StringComparison.Ordinal);
    }
}
