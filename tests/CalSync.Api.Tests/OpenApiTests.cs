using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CalSync.Api.Tests;

/// <summary>The OpenAPI document describes every route the Api serves, with its answers and errors.</summary>
public sealed partial class OpenApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Every_route_is_documented_with_a_summary_its_responses_and_its_errors()
    {
        using var client = fixture.Api.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        var routes = fixture.Api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not null)
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/openapi", StringComparison.Ordinal) && !e.RoutePattern.RawText.StartsWith("/docs", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(routes);
        foreach (var route in routes)
        {
            var path = Constraint().Replace(route.RoutePattern.RawText!.TrimEnd('/'), "{$1}");
            foreach (var method in route.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
            {
                var where = $"{method} {path}";
                Assert.True(paths.TryGetProperty(path, out var item), $"{where} is missing from the OpenAPI document");
                Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{where} is missing from the OpenAPI document");
                Assert.True(operation.TryGetProperty("summary", out _), $"{where} has no summary");
                var responses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
                Assert.NotEmpty(responses);
                if (route.Metadata.GetMetadata<IAuthorizeData>() is not null)
                {
                    Assert.Contains("401", responses);
                    Assert.True(operation.TryGetProperty("security", out _), $"{where} does not say it needs a token");
                }
            }
        }
    }

    [GeneratedRegex(@"\{([^}:?]+)[^}]*\}")]
    private static partial Regex Constraint();
}
