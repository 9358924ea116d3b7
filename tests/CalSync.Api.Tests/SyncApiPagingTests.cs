using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CalSync.Api.Tests;

/// <summary>
/// <c>GET /api/syncs</c> pages: oldest first, <c>limit</c> a page (default 100), <c>after=&lt;syncId&gt;</c> for the
/// next one, linked by a <c>Link: rel="next"</c> header; together the pages hold every live sync once, and nobody
/// else's, whatever is created or deleted between pages.
/// </summary>
public sealed class SyncApiPagingTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    // The API's promise to scripts, stated here rather than read from the code under test.
    private const int DefaultLimit = 100;

    [Theory]
    [InlineData(0, 7)]
    [InlineData(7, 7)]
    [InlineData(7, 3)]
    [InlineData(9, 3)]
    [InlineData(250, null)]
    [InlineData(101, 100)]
    public async Task Following_the_next_links_reads_every_live_sync_once_oldest_first(int count, int? limit)
    {
        var (user, expected) = await PersonWithSyncsAsync(count);

        var (pages, seen) = await ReadAllAsync(user, limit is null ? "/api/syncs" : $"/api/syncs?limit={limit}");

        Assert.Equal(expected, seen);
        var size = limit ?? DefaultLimit;
        Assert.Equal(Math.Max(1, (count + size - 1) / size), pages.Count);
        Assert.All(pages[..^1], p => Assert.Equal(size, p.Length));
    }

    [Fact]
    public async Task Without_a_limit_a_person_with_a_hundred_syncs_gets_them_all_on_one_page_as_before()
    {
        var (user, expected) = await PersonWithSyncsAsync(DefaultLimit);

        using var response = await user.Client.GetAsync("/api/syncs");

        Assert.False(response.Headers.Contains("Link"));
        Assert.Equal(expected, Ids(await response.Content.ReadFromJsonAsync<JsonElement>()));
    }

    [Fact]
    public async Task A_page_follows_its_sync_even_when_that_sync_was_deleted_meanwhile_and_new_syncs_come_last()
    {
        var (user, expected) = await PersonWithSyncsAsync(6);
        using var first = await user.Client.GetAsync("/api/syncs?limit=3");
        var next = NextOf(first)!;

        using (var deleted = await user.Client.DeleteAsync($"/api/syncs/{expected[2]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        var created = (await user.CreateSyncAsync()).GetProperty("id").GetGuid().ToString();
        var (_, rest) = await ReadAllAsync(user, next);

        Assert.Equal(expected[..3], Ids(await first.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal([.. expected[3..], created], rest);
    }

    [Fact]
    public async Task After_another_persons_sync_or_one_that_never_was_gives_an_empty_page_never_their_place()
    {
        var (user, _) = await PersonWithSyncsAsync(3);
        var (other, theirs) = await PersonWithSyncsAsync(2);

        foreach (var after in new[] { theirs[0], Guid.NewGuid().ToString() })
        {
            using var response = await user.Client.GetAsync($"/api/syncs?after={after}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Empty(Ids(await response.Content.ReadFromJsonAsync<JsonElement>()));
        }
        other.Client.Dispose();
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=99999999999999999999", "limit")]
    [InlineData("after=not-a-sync", "after")]
    public async Task A_limit_or_cursor_that_is_no_page_is_a_400_naming_it(string query, string field)
    {
        var (user, _) = await PersonWithSyncsAsync(1);

        using var response = await user.Client.GetAsync($"/api/syncs?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<(List<string[]> Pages, List<string> Seen)> ReadAllAsync(ApiUser user, string url)
    {
        List<string[]> pages = [];
        for (string? next = url; next is not null;)
        {
            using var response = await user.Client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            pages.Add(Ids(await response.Content.ReadFromJsonAsync<JsonElement>()));
            next = NextOf(response);
            Assert.True(pages.Count <= 1000, "the next links never end");
        }
        return (pages, [.. pages.SelectMany(p => p)]);
    }

    private static string? NextOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Link", out var links) && links.Single() is var link && link.EndsWith("rel=\"next\"", StringComparison.Ordinal)
            ? link.Split('<', '>')[1]
            : null;

    private static string[] Ids(JsonElement syncs) => [.. syncs.EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    /// <summary>A person with <paramref name="count"/> live syncs and a deleted one among them, made beside another person's.</summary>
    private async Task<(ApiUser User, string[] Expected)> PersonWithSyncsAsync(int count)
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var stranger = await fixture.NewUserAsync(extraAccounts: 0);
        stranger.Client.Dispose();
        var expected = await fixture.InsertSyncsAsync((user.Id, user.Accounts[0].Id), count, (stranger.Id, stranger.Accounts[0].Id));
        return (user, expected);
    }
}
