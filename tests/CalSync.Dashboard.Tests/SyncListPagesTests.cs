using Dapper;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CalSync.Dashboard.Tests;

/// <summary>A person with more syncs than a page holds moves between the pages of the list.</summary>
public sealed class SyncListPagesTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task A_person_with_sixty_syncs_goes_to_the_second_page_and_back()
    {
        var me = fixture.NewGoogleAccount("many");
        var page = await fixture.NewPageAsync(narrow: true);
        await Pages.SignInAsync(page, "/syncs", me);
        await SixtySyncsOfAsync(me);

        await page.GotoAsync("/syncs");
        var pager = page.GetByRole(AriaRole.Navigation, new() { Name = "Pages of syncs" });
        var cards = page.Locator("li.card.sync");
        await Expect(pager).ToContainTextAsync("Page 1 of 2");
        await Expect(cards).ToHaveCountAsync(50);
        await Expect(pager.GetByRole(AriaRole.Link, new() { Name = "Previous page" })).ToHaveCountAsync(0);

        await pager.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        await page.WaitForURLAsync("**/syncs?page=2");
        await Expect(pager).ToContainTextAsync("Page 2 of 2");
        await Expect(cards).ToHaveCountAsync(10);
        await Expect(cards.First.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Sync 51");
        await Expect(pager.GetByRole(AriaRole.Link, new() { Name = "Next page" })).ToHaveCountAsync(0);
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "syncs-page-2");

        await pager.GetByRole(AriaRole.Link, new() { Name = "Previous page" }).ClickAsync();
        await page.WaitForURLAsync("**/syncs?page=1");
        await Expect(pager).ToContainTextAsync("Page 1 of 2");
        await Expect(cards.First.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Sync 01");
    }

    /// <summary>Sixty syncs from the person's main calendar to itself, named in the order they were made (Sync 01 first).</summary>
    private async Task SixtySyncsOfAsync(string me)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            insert into syncs (id, user_id, name, a_account_id, a_calendar_id, b_account_id, b_calendar_id, direction, created_at, updated_at)
            select gen_random_uuid(), u.id, 'Sync ' || lpad(n::text, 2, '0'), a.id, 'primary', a.id, 'primary', 'one-way',
                   timestamptz '2026-01-01 08:00Z' + n * interval '1 minute', now()
            from users u
            join google_accounts a on a.user_id = u.id and a.email = @me
            cross join generate_series(1, 60) n
            where u.email = @me
            """,
            new { me });
    }
}
