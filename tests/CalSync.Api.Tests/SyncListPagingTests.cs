using System.Net;
using System.Text.RegularExpressions;
using Dapper;

namespace CalSync.Api.Tests;

/// <summary>
/// The dashboard's syncs list shows fifty syncs a page, oldest first, with Previous and Next links; a page past the end
/// shows the last page, and a page value that is no number is a 400 page in words, never a 500.
/// </summary>
public sealed partial class SyncListPagingTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    // The list's promise to people, stated here rather than read from the code under test.
    private const int PageSize = 50;

    [Fact]
    public async Task Pages_hold_fifty_syncs_each_oldest_first_and_together_every_live_sync_once()
    {
        var (browser, expected) = await PersonWithSyncsAsync(120);
        using var _ = browser;

        var first = await IdsOnAsync(browser, "/syncs?page=1");
        var second = await IdsOnAsync(browser, "/syncs?page=2");
        var third = await IdsOnAsync(browser, "/syncs?page=3");

        Assert.Equal(expected[..50], first);
        Assert.Equal(expected[50..100], second);
        Assert.Equal(expected[100..], third);
        Assert.Equal(first, await IdsOnAsync(browser, "/syncs"));
    }

    [Fact]
    public async Task The_pager_names_itself_says_which_page_this_is_and_links_to_the_pages_either_side()
    {
        var (browser, _) = await PersonWithSyncsAsync(120);
        using var _ = browser;

        var first = await browser.GetStringAsync("/syncs");
        var second = await browser.GetStringAsync("/syncs?page=2");
        var third = await browser.GetStringAsync("/syncs?page=3");

        Assert.Equal((null, "/syncs?page=2", "Page 1 of 3"), Pager(first));
        Assert.Equal(("/syncs?page=1", "/syncs?page=3", "Page 2 of 3"), Pager(second));
        Assert.Equal(("/syncs?page=2", null, "Page 3 of 3"), Pager(third));
        Assert.Matches("<nav class=\"pager\" aria-label=\"[^\"]+\">", second);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(PageSize, PageSize)]
    [InlineData(PageSize + 1, 1)]
    public async Task The_last_page_holds_what_is_left_and_one_page_needs_no_pager(int syncs, int onLastPage)
    {
        var (browser, expected) = await PersonWithSyncsAsync(syncs);
        using var _ = browser;
        var pages = Math.Max(1, (syncs + PageSize - 1) / PageSize);

        var html = await browser.GetStringAsync($"/syncs?page={pages}");

        Assert.Equal(expected[^onLastPage..], Ids(html));
        if (pages == 1)
        {
            Assert.DoesNotContain("class=\"pager\"", html, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(($"/syncs?page={pages - 1}", null, $"Page {pages} of {pages}"), Pager(html));
        }
        if (syncs == 0)
        {
            Assert.Contains("No syncs yet", html, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("4")]
    [InlineData("2147483647")]
    [InlineData("2147483648")]
    [InlineData("99999999999999999999999999999999")]
    public async Task A_page_past_the_end_shows_the_last_page(string page)
    {
        var (browser, expected) = await PersonWithSyncsAsync(120);
        using var _ = browser;

        using var response = await browser.GetAsync($"/syncs?page={page}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(expected[100..], Ids(html));
        Assert.Equal(("/syncs?page=2", null, "Page 3 of 3"), Pager(html));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("-99999999999999999999999999999999")]
    [InlineData("")]
    public async Task A_page_before_the_first_shows_the_first_page(string page)
    {
        var (browser, expected) = await PersonWithSyncsAsync(60);
        using var _ = browser;

        using var response = await browser.GetAsync($"/syncs?page={page}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(expected[..50], Ids(html));
        Assert.Equal((null, "/syncs?page=2", "Page 1 of 2"), Pager(html));
    }

    [Theory]
    [InlineData("page=abc")]
    [InlineData("page=1.5")]
    [InlineData("page=%2B2")]
    [InlineData("page=%202")]
    [InlineData("page=0x10")]
    [InlineData("page=%D9%A2")] // Arabic-Indic digit two: a digit to .NET, not to a person typing an address.
    [InlineData("page=2&page=3")]
    [InlineData("page=2&page=2")]
    public async Task A_page_that_is_no_whole_number_or_given_twice_is_a_400_page_in_words(string query)
    {
        var (browser, _) = await PersonWithSyncsAsync(3);
        using var _ = browser;

        using var response = await browser.GetAsync($"/syncs?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_with_a_control_character_is_a_400_page_naming_the_field()
    {
        var (browser, _) = await PersonWithSyncsAsync(3);
        using var _ = browser;

        using var response = await browser.GetAsync("/syncs?page=2%00");

        // Every dashboard page refuses control characters in its query before the page reads it, in words.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>", html, StringComparison.Ordinal);
        Assert.Contains("The field &#x27;page&#x27; holds a character it may not.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pausing_a_sync_on_the_second_page_comes_back_to_the_second_page()
    {
        var (browser, expected) = await PersonWithSyncsAsync(60);
        using var _ = browser;
        var html = await browser.GetStringAsync("/syncs?page=2");
        var syncId = expected[55];
        var card = html[html.IndexOf($"data-sync=\"{syncId}\"", StringComparison.Ordinal)..];
        var action = WebUtility.HtmlDecode(PauseAction().Match(card).Groups[1].Value);
        var antiforgery = VerificationToken().Match(html).Groups[1].Value;

        using var paused = await browser.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = antiforgery }));

        Assert.Equal(HttpStatusCode.Redirect, paused.StatusCode);
        Assert.Equal("/syncs?page=2", paused.Headers.Location?.OriginalString);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Assert.False(await connection.ExecuteScalarAsync<bool>("select active from syncs where id = @syncId", new { syncId = Guid.Parse(syncId) }));
    }

    /// <summary>
    /// A signed-in browser (accepting HTML) whose person has <paramref name="count"/> live syncs, made straight in the
    /// database: two share each creation time, and they are written in no particular order. Also a deleted sync of
    /// theirs and a sync of someone else's, which no page may show. Returns the live syncs' ids oldest first (ties by id).
    /// </summary>
    private async Task<(HttpClient Browser, string[] Expected)> PersonWithSyncsAsync(int count)
    {
        var browser = fixture.Browser();
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        var email = fixture.NewGoogleAccount("pager");
        using (var signedIn = await fixture.SignInAsync(browser, email))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }
        var other = await fixture.NewUserAsync(extraAccounts: 0);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        var mine = await connection.QuerySingleAsync<(Guid UserId, Guid AccountId)>(
            "select u.id, a.id from users u join google_accounts a on a.user_id = u.id where a.email = @email", new { email });
        var expected = await fixture.InsertSyncsAsync(mine, count, (other.Id, other.Accounts[0].Id));
        return (browser, expected);
    }

    private static async Task<string[]> IdsOnAsync(HttpClient browser, string path) => Ids(await browser.GetStringAsync(path));

    private static string[] Ids(string html) => [.. SyncCard().Matches(html).Select(m => m.Groups[1].Value)];

    /// <summary>The pager's Previous and Next addresses (null when absent) and its words for where this page is.</summary>
    private static (string? Previous, string? Next, string? Current) Pager(string html)
    {
        var nav = PagerNav().Match(html);
        Assert.True(nav.Success, "no pager");
        var inside = nav.Groups[1].Value;
        string? Link(string rel) => PagerLink(rel).Match(inside) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups["href"].Value) : null;
        return (Link("prev"), Link("next"), PageOf().Match(inside) is { Success: true } p ? p.Value : null);
    }

    private static Regex PagerLink(string rel) => new($"<a [^>]*href=\"(?<href>[^\"]+)\"[^>]*rel=\"{rel}\"|<a [^>]*rel=\"{rel}\"[^>]*href=\"(?<href>[^\"]+)\"", RegexOptions.None, TimeSpan.FromSeconds(1));

    [GeneratedRegex("<li class=\"card sync\" data-sync=\"([0-9a-f-]{36})\"")]
    private static partial Regex SyncCard();

    [GeneratedRegex("<nav class=\"pager\"[^>]*>(.*?)</nav>", RegexOptions.Singleline)]
    private static partial Regex PagerNav();

    [GeneratedRegex(@"Page \d+ of \d+")]
    private static partial Regex PageOf();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]*handler=Pause[^\"]*)\"")]
    private static partial Regex PauseAction();

    [GeneratedRegex("name=\"__csrf\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex VerificationToken();
}
