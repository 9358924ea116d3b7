using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;

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
}
