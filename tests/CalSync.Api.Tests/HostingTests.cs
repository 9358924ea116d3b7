using System.Net;
using System.Text.Json;
using CalSync.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

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
    public async Task Readiness_checks_postgresql_and_rabbitmq_and_shows_each_check_on_the_management_port_only()
    {
        var (publicPort, managementPort) = (WorkerProcess.FreePort(), WorkerProcess.FreePort());
        await using var api = OnKestrel(publicPort, $"http://127.0.0.1:{managementPort}");
        using var client = new HttpClient();

        using var management = await client.GetAsync($"http://127.0.0.1:{managementPort}/health/ready");
        using var open = await client.GetAsync($"http://127.0.0.1:{publicPort}/health/ready");

        Assert.Equal(HttpStatusCode.OK, management.StatusCode);
        using var body = JsonDocument.Parse(await management.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Contains("postgresql", checks);
        Assert.Contains(checks, name => name!.Contains("masstransit", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        using var plain = JsonDocument.Parse(await open.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", plain.RootElement.GetProperty("status").GetString());
        Assert.Equal(0, plain.RootElement.GetProperty("checks").GetArrayLength());
    }

    [Fact]
    public async Task Metrics_are_served_on_the_management_port_only_and_the_api_is_not_served_there()
    {
        var (publicPort, managementPort) = (WorkerProcess.FreePort(), WorkerProcess.FreePort());
        await using var api = OnKestrel(publicPort, $"http://127.0.0.1:{managementPort}");
        using var client = new HttpClient();

        using var open = await client.GetAsync($"http://127.0.0.1:{publicPort}/metrics");
        using var forgedHost = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{publicPort}/metrics");
        forgedHost.Headers.Host = $"127.0.0.1:{managementPort}";
        using var forged = await client.SendAsync(forgedHost);
        using var management = await client.GetAsync($"http://127.0.0.1:{managementPort}/metrics");
        using var apiOnManagement = await client.GetAsync($"http://127.0.0.1:{managementPort}/api/me");
        using var liveOnPublic = await client.GetAsync($"http://127.0.0.1:{publicPort}/health/live");

        Assert.Equal(HttpStatusCode.NotFound, open.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, management.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, apiOnManagement.StatusCode);
        Assert.Equal(HttpStatusCode.OK, liveOnPublic.StatusCode);
    }

    [Fact]
    public async Task The_management_port_can_be_turned_off()
    {
        var publicPort = WorkerProcess.FreePort();
        await using var off = OnKestrel(publicPort, management: "");

        var addresses = off.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        using var client = new HttpClient();
        using var metrics = await client.GetAsync($"http://127.0.0.1:{publicPort}/metrics");

        Assert.Equal([$"http://127.0.0.1:{publicPort}"], addresses);
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
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
        var (publicPort, managementPort) = (WorkerProcess.FreePort(), WorkerProcess.FreePort());
        await using var api = OnKestrel(publicPort, $"http://127.0.0.1:{managementPort}");
        using var client = new HttpClient();
        using (await client.GetAsync($"http://127.0.0.1:{publicPort}/api/me")) { } // 401: unauthenticated

        var metrics = await client.GetStringAsync($"http://127.0.0.1:{managementPort}/metrics");

        // ASP.NET Core's request histogram (OpenTelemetry names); its _count is the number of requests.
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", metrics, StringComparison.Ordinal);
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
            && line.Contains("http_response_status_code=\"401\"", StringComparison.Ordinal) && line.Contains("http_route=\"/api/me\"", StringComparison.Ordinal));
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
        var logs = new FakeLogCollector();
        await using var api = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            fixture.UseGoogle(web);
            web.UseSetting("Database:ConnectionString", "this is = not ; a connection string ;;=");
            web.UseSetting("Broker:Uri", fixture.Broker.Uri.ToString());
            web.ConfigureLogging(logging => logging.AddProvider(new FakeLoggerProvider(logs)));
        });

        var error = Assert.ThrowsAny<Exception>(() => api.Services);

        // The host logs why it failed to start. The test host may instead report that the failed host is disposed
        // (it races the application's thread), so the reason is looked for in both.
        var reasons = string.Join('\n', logs.GetSnapshot().Select(r => r.Exception?.ToString())) + error;
        Assert.Contains("Database:ConnectionString", reasons, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "10.1.2.3", "http")]
    [InlineData("10.1.2.3", null, "10.9.9.9", "http")]
    [InlineData("10.1.2.3", null, "10.1.2.3", "https")]
    [InlineData(null, "10.1.0.0/16", "10.1.2.3", "https")]
    [InlineData(null, "10.1.0.0/16", "10.2.0.1", "http")]
    public async Task Forwarded_headers_are_believed_only_from_configured_proxies(string? proxy, string? network, string from, string scheme)
    {
        await using var api = fixture.Api.WithWebHostBuilder(web =>
        {
            // The framework's switch, which on its own would believe any sender.
            web.UseSetting("FORWARDEDHEADERS_ENABLED", "true");
            if (proxy is not null)
            {
                web.UseSetting("ForwardedHeaders:KnownProxies:0", proxy);
            }
            if (network is not null)
            {
                web.UseSetting("ForwardedHeaders:KnownNetworks:0", network);
            }
        });

        var context = await api.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/auth/login";
            c.Request.QueryString = new QueryString("?login_hint=a%40example.com");
            c.Connection.RemoteIpAddress = IPAddress.Parse(from);
            c.Request.Headers["X-Forwarded-Proto"] = "https";
            c.Request.Headers["X-Forwarded-For"] = "203.0.113.7";
        });

        Assert.Equal(302, context.Response.StatusCode);
        var google = new Uri(context.Response.Headers.Location.ToString());
        Assert.Equal($"{scheme}://localhost/auth/callback", QueryHelpers.ParseQuery(google.Query)["redirect_uri"].ToString());
    }

    /// <summary>The Api on real sockets: the public port, and the management URL (empty: off).</summary>
    private WebApplicationFactory<Program> OnKestrel(int publicPort, string management)
    {
        var api = fixture.Api.WithWebHostBuilder(web =>
        {
            web.UseSetting("urls", $"http://127.0.0.1:{publicPort}");
            web.UseSetting("Management:Urls", management);
        });
        api.UseKestrel();
        api.StartServer();
        return api;
    }

}
