using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CalSync.Api.Tests;

/// <summary>Personal access tokens: shown once, stored hashed, revocable at once.</summary>
public sealed class TokenTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_token_is_shown_once_and_never_stored_or_listed_in_clear()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 0);

        var tokens = await user.Client.GetFromJsonAsync<JsonElement>("/api/tokens");

        var listed = Assert.Single(tokens.EnumerateArray());
        Assert.False(listed.TryGetProperty("token", out _));
        Assert.StartsWith(listed.GetProperty("prefix").GetString()!, user.Token, StringComparison.Ordinal);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        var stored = await connection.QuerySingleAsync<string>(
            "select row_to_json(t)::text from personal_access_tokens t where user_id = @id", new { id = user.Id });
        Assert.DoesNotContain(user.Token, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_token_stops_working_at_once()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 0);
        var id = (await user.Client.GetFromJsonAsync<JsonElement>("/api/tokens"))[0].GetProperty("id").GetGuid();

        using var revoke = await user.Client.DeleteAsync($"/api/tokens/{id}");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        using var me = await user.Client.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task Requests_without_or_with_a_bad_token_answer_401_problem_details()
    {
        using var anonymous = fixture.Api.CreateClient();
        using var forged = fixture.Api.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "csk_not-a-real-token");
        using var basic = fixture.Api.CreateClient();
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");

        foreach (var client in new[] { anonymous, forged, basic })
        {
            using var response = await client.GetAsync("/api/accounts");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_token_needs_a_name()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 0);

        foreach (var body in new[] { """{"name":""}""", """{"name":"   "}""", "{}" })
        {
            using var response = await user.Client.PostAsync("/api/tokens", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("name", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_token_with_an_expiry_is_listed_with_it_and_answers_401_once_it_has_passed()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 0);
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var api = fixture.Api.WithWebHostBuilder(web => web.ConfigureServices(s => s.AddSingleton<TimeProvider>(clock)));
        using var client = ClientOf(api, user.Token);
        var expiresAt = new DateTimeOffset(clock.GetUtcNow().UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero).AddHours(1);

        using var created = await client.PostAsJsonAsync("/api/tokens", new { name = "for an hour", expiresAt });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var reply = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(expiresAt, reply.GetProperty("expiresAt").GetDateTimeOffset());
        var listed = (await client.GetFromJsonAsync<JsonElement>("/api/tokens")).EnumerateArray()
            .Single(t => t.GetProperty("id").GetGuid() == reply.GetProperty("id").GetGuid());
        Assert.Equal(expiresAt, listed.GetProperty("expiresAt").GetDateTimeOffset());
        using var hourly = ClientOf(api, reply.GetProperty("token").GetString()!);
        using (var before = await hourly.GetAsync("/api/me"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        clock.Advance(TimeSpan.FromHours(1));

        using var after = await hourly.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using var stillWorks = await client.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
    }

    [Fact]
    public async Task Tokens_have_no_expiry_unless_asked_and_an_expiry_must_be_in_the_future()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 0);

        using var lasting = await user.Client.PostAsJsonAsync("/api/tokens", new { name = "lasting" });
        using var past = await user.Client.PostAsJsonAsync("/api/tokens", new { name = "past", expiresAt = TimeProvider.System.GetUtcNow().AddMinutes(-1) });

        Assert.Equal(HttpStatusCode.Created, lasting.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await lasting.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("expiresAt").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Equal(["expiresAt"], await ApiSyncs.ErrorKeysAsync(past));
    }

    [Fact]
    public async Task A_token_cannot_mint_a_token_that_outlives_it()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 0);
        var expiresAt = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero).AddDays(1);
        using var created = await user.Client.PostAsJsonAsync("/api/tokens", new { name = "a day", expiresAt });
        using var daily = ClientOf(fixture.Api, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);

        using var longer = await daily.PostAsJsonAsync("/api/tokens", new { name = "longer", expiresAt = expiresAt.AddSeconds(1) });
        using var unbounded = await daily.PostAsJsonAsync("/api/tokens", new { name = "unbounded" });
        using var shorter = await daily.PostAsJsonAsync("/api/tokens", new { name = "shorter", expiresAt = expiresAt.AddHours(-1) });

        Assert.Equal(HttpStatusCode.BadRequest, longer.StatusCode);
        Assert.Equal(["expiresAt"], await ApiSyncs.ErrorKeysAsync(longer));
        // Asking for no expiry gets the minting token's.
        Assert.Equal(HttpStatusCode.Created, unbounded.StatusCode);
        Assert.Equal(expiresAt, (await unbounded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.Created, shorter.StatusCode);
        Assert.Equal(expiresAt.AddHours(-1), (await shorter.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("expiresAt").GetDateTimeOffset());
    }

    private static HttpClient ClientOf(WebApplicationFactory<Program> api, string token)
    {
        var client = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
