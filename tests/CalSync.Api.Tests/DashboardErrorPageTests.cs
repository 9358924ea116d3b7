using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CalSync.Api.Tests;

/// <summary>
/// A browser that meets a missing page, a rate limit or a fault gets a page in words, with the status code kept;
/// the REST API keeps answering problem details for the same cases.
/// </summary>
public sealed partial class DashboardErrorPageTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string PlantedFault = "/planted-fault";

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/syncs/not-a-guid/edit")]
    public async Task A_missing_dashboard_page_is_a_404_page_in_words(string path)
    {
        using var browser = HtmlBrowser(fixture.Api);

        using var response = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Page not found</h1>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/\"", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_persons_sync_is_a_404_page_for_a_signed_in_person()
    {
        using var browser = HtmlBrowser(fixture.Api);
        using (var signedIn = await fixture.SignInAsync(browser, fixture.NewGoogleAccount()))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        using var response = await browser.GetAsync($"/syncs/{Guid.NewGuid()}/edit");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Page not found</h1>", html, StringComparison.Ordinal);
        // In the dashboard's layout: the signed-in navigation is there.
        Assert.Contains("href=\"/syncs\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/no-such-thing")]
    [InlineData("/api/syncs/00000000-0000-0000-0000-000000000001")]
    public async Task The_api_keeps_problem_details_for_a_404_even_when_html_is_accepted(string path)
    {
        using var browser = HtmlBrowser(fixture.Api);
        var user = await fixture.NewUserAsync();
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);

        using var response = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Run_now_past_the_limit_is_a_429_page_with_retry_after()
    {
        await using var api = fixture.Api.WithWebHostBuilder(web => web.UseSetting("RunTriggers:PermitsPerMinute", "2"));
        using var browser = HtmlBrowser(api);
        using (var signedIn = await fixture.SignInAsync(browser, fixture.NewGoogleAccount()))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }
        var antiforgery = VerificationToken().Match(await browser.GetStringAsync("/tokens")).Groups[1].Value;
        var path = $"/syncs/{Guid.NewGuid()}/run";

        using var first = await PostFormAsync(browser, path, antiforgery);
        using var second = await PostFormAsync(browser, path, antiforgery);
        using var third = await PostFormAsync(browser, path, antiforgery);

        // Each of the first two spends a permit, though no such sync exists (and says so in a page of its own).
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound], new[] { first.StatusCode, second.StatusCode });
        Assert.Contains("<h1>Page not found</h1>", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        var retryAfter = int.Parse(third.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 30);
        Assert.Equal("text/html", third.Content.Headers.ContentType?.MediaType);
        var html = await third.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Too many requests</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"try again in {retryAfter} seconds", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_past_the_limit_is_a_429_page_for_a_browser_and_problem_details_for_api_clients()
    {
        // Two a minute per address (every client here shares one): a permit comes back every 30 s, far longer than this test takes.
        await using var api = fixture.Api.WithWebHostBuilder(web => web.UseSetting("SignIn:AttemptsPerMinute", "2"));
        using var browser = HtmlBrowser(api);
        using var json = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        json.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        using var bare = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        const string login = "/auth/login?login_hint=someone%40example.com";

        using var first = await browser.GetAsync(login);
        using var second = await browser.GetAsync(login);
        using var page = await browser.GetAsync(login);
        using var problem = await json.GetAsync(login);
        using var unstated = await bare.GetAsync(login);

        Assert.Equal(
            [HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
            new[] { first.StatusCode, second.StatusCode, page.StatusCode, problem.StatusCode, unstated.StatusCode });
        var retryAfter = int.Parse(page.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 30);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Too many sign-in attempts</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"try again in {(retryAfter == 1 ? "1 second" : $"{retryAfter} seconds")}", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        foreach (var machine in new[] { problem, unstated })
        {
            Assert.Equal("application/problem+json", machine.Content.Headers.ContentType?.MediaType);
            Assert.NotEmpty(machine.Headers.GetValues("Retry-After"));
            Assert.Contains("sign-in", await machine.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_failed_sign_in_keeps_problem_details_even_for_a_browser()
    {
        using var browser = HtmlBrowser(fixture.Api);

        using var response = await browser.GetAsync("/auth/callback?state=no-such-state&code=x");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unexpected_fault_is_a_500_page_that_shows_no_internals_and_the_api_keeps_problem_details()
    {
        await using var api = fixture.Api.WithWebHostBuilder(web => web.ConfigureTestServices(s => s.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, FaultAtTheEnd>()));
        using var browser = HtmlBrowser(api);

        using var page = await browser.GetAsync(PlantedFault);
        using var problem = await browser.GetAsync("/api" + PlantedFault);

        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Something went wrong</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(FaultAtTheEnd), html, StringComparison.Ordinal);
        Assert.DoesNotContain("secret detail", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InternalServerError, problem.StatusCode);
        Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A fault behind every endpoint: what reaches the end of the pipeline at <see cref="PlantedFault"/> throws.</summary>
    private sealed class FaultAtTheEnd : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((http, tail) => http.Request.Path.Value?.EndsWith(PlantedFault, StringComparison.Ordinal) == true
                ? throw new InvalidOperationException("a secret detail of a planted fault")
                : tail(http));
        };
    }

    private static HttpClient HtmlBrowser(WebApplicationFactory<Program> api)
    {
        var client = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        // What a browser sends when it navigates.
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        return client;
    }

    private static Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string path, string antiforgery) =>
        browser.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = antiforgery }));

    [GeneratedRegex("name=\"__csrf\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex VerificationToken();
}
