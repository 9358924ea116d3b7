using System.Net;
using System.Text.RegularExpressions;
using Dapper;

namespace CalSync.Api.Tests;

/// <summary>The dashboard's forms follow the REST API's text rule: a control character is a 400, never a 500, and writes nothing.</summary>
public sealed partial class DashboardFormTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("nul \u0000 inside")]
    [InlineData("bell \u0007")]
    public async Task A_token_name_with_a_control_character_is_refused_and_nothing_is_stored(string name)
    {
        using var browser = fixture.Browser();
        using (var signedIn = await fixture.SignInAsync(browser, fixture.NewGoogleAccount()))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }
        var page = await browser.GetStringAsync("/tokens");
        var antiforgery = VerificationToken().Match(page).Groups[1].Value;
        // The control: the same form with a plain name creates a token.
        using (var plain = await PostNameAsync(browser, antiforgery, "plain name"))
        {
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        }

        using var response = await PostNameAsync(browser, antiforgery, name);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        var me = await browser.GetStringAsync("/api/me");
        var names = await connection.QueryAsync<string>(
            "select t.name from personal_access_tokens t join users u on u.id = t.user_id where position(u.id::text in @me) > 0", new { me });
        Assert.Equal(["plain name"], names);
    }

    private static Task<HttpResponseMessage> PostNameAsync(HttpClient browser, string antiforgery, string name) =>
        browser.PostAsync("/tokens?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__csrf"] = antiforgery,
            ["name"] = name,
        }));

    [GeneratedRegex("name=\"__csrf\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex VerificationToken();
}
