using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CalSync.Engine.Auth;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CalSync.Api.Tests;

/// <summary>
/// Through sign-in, connecting an account, creating a token, calling Google and signing out, no secret — Google's
/// codes and tokens, the session cookie, the access token — reaches a table in plaintext or a log record at Debug.
/// </summary>
public sealed class SecretsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task No_secret_reaches_a_table_or_a_debug_log()
    {
        var secrets = new ConcurrentBag<string>();
        await using var api = fixture.Api.WithWebHostBuilder(web =>
        {
            // Everything at Debug, the framework's own categories too, as someone chasing a problem would set it.
            web.UseSetting("Logging:LogLevel:Default", "Debug");
            web.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Debug");
            web.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging());
            web.ConfigureServices(services => services.AddHttpClient(GoogleOAuthClient.HttpClientName)
                .AddHttpMessageHandler(() => new RecordTokens(secrets)));
        });
        using var browser = api.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });

        foreach (var (email, start) in new[] { (fixture.NewGoogleAccount(), "/auth/login"), (fixture.NewGoogleAccount(), "/api/accounts/connect") })
        {
            using var login = await browser.GetAsync($"{start}?login_hint={Uri.EscapeDataString(email)}");
            var callback = await ApiUsers.FollowGoogleAsync(login.Headers.Location!);
            var query = QueryHelpers.ParseQuery(callback.Query);
            secrets.Add(query["code"]!);
            secrets.Add(query["state"]!);
            using var done = await browser.GetAsync(callback.PathAndQuery);
            if (done.Headers.TryGetValues("Set-Cookie", out var cookies))
            {
                foreach (var cookie in cookies.Where(c => c.StartsWith("calsync_session=", StringComparison.Ordinal)))
                {
                    secrets.Add(cookie.Split(';')[0]["calsync_session=".Length..]);
                }
            }
        }
        using var created = await browser.PostAsJsonAsync("/api/tokens", new { name = "secrets" });
        secrets.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);
        foreach (var account in (await browser.GetFromJsonAsync<JsonElement>("/api/accounts")).EnumerateArray())
        {
            using var calendars = await browser.GetAsync($"/api/accounts/{account.GetProperty("id").GetGuid()}/calendars");
            calendars.EnsureSuccessStatusCode();
        }
        using var logout = await browser.PostAsync("/auth/logout", null);

        Assert.True(secrets.Count >= 8, $"only {secrets.Count} secrets were seen");
        var tables = await DumpTablesAsync();
        var logs = string.Join('\n', api.Services.GetFakeLogCollector().GetSnapshot().Select(r => string.Join('\n',
            r.Message, r.Exception?.ToString(), string.Join(';', r.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? []))));
        Assert.Contains("Exchanged an authorization code", logs, StringComparison.Ordinal);
        foreach (var secret in secrets.Distinct())
        {
            Assert.DoesNotContain(secret, tables, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret)), tables, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Answers_that_carry_secrets_tell_caches_not_to_store_them()
    {
        using var browser = fixture.Browser();
        var answers = new List<(string What, HttpResponseMessage Response)>();
        foreach (var start in new[] { "/auth/login", "/api/accounts/connect" })
        {
            var login = await browser.GetAsync($"{start}?login_hint={Uri.EscapeDataString(fixture.NewGoogleAccount())}");
            answers.Add((start, login));
            var callback = await ApiUsers.FollowGoogleAsync(login.Headers.Location!);
            answers.Add(($"{start}: callback", await browser.GetAsync(callback.PathAndQuery)));
        }
        answers.Add(("POST /api/tokens", await browser.PostAsJsonAsync("/api/tokens", new { name = "cached?" })));
        answers.Add(("/api/me", await browser.GetAsync("/api/me")));

        foreach (var (what, response) in answers)
        {
            Assert.True((int)response.StatusCode < 400, $"{what}: {response.StatusCode}");
            Assert.True(response.Headers.CacheControl?.NoStore == true, $"{what}: Cache-Control {response.Headers.CacheControl}");
            response.Dispose();
        }
    }

    private async Task<string> DumpTablesAsync()
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        var dump = new StringBuilder();
        foreach (var table in await connection.QueryAsync<string>(
            "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'"))
        {
            // row_to_json renders bytea as hex, so plaintext stored as bytes would show as its hex encoding.
            foreach (var row in await connection.QueryAsync<string>($"select row_to_json(t)::text from \"{table}\" t"))
            {
                dump.AppendLine(row);
            }
        }
        return dump.ToString();
    }

    /// <summary>Notes the access and refresh tokens Google's token endpoint hands the Api.</summary>
    private sealed class RecordTokens(ConcurrentBag<string> secrets) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath.EndsWith("/token", StringComparison.Ordinal) && response.IsSuccessStatusCode)
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                foreach (var name in new[] { "access_token", "refresh_token", "id_token" })
                {
                    if (body.RootElement.TryGetProperty(name, out var value))
                    {
                        secrets.Add(value.GetString()!);
                    }
                }
            }
            return response;
        }
    }
}
