using System.Net;
using Dapper;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CalSync.Dashboard.Tests;

/// <summary>When things go wrong a person reads what happened in words: missing pages, limits, faults and failed runs.</summary>
public sealed class TroubleTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task Missing_pages_limits_and_faults_are_pages_in_words_with_their_status()
    {
        var me = fixture.NewGoogleAccount("trouble");
        var page = await fixture.NewPageAsync(narrow: true);
        await Pages.SignInAsync(page, "/syncs", me);
        var syncId = await SyncOfAsync(me, me, fixture.Google.Emulator.CreateCalendar(me, "Second"));

        var missing = await page.GotoAsync("/syncs/no-such-sync/edit");
        Assert.Equal((int)HttpStatusCode.NotFound, missing!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Go to the start page" })).ToHaveAttributeAsync("href", "/");
        // Still the dashboard: the signed-in navigation is there.
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToBeVisibleAsync();
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "not-found");

        var fault = await page.GotoAsync(PlantedFault.Path);
        Assert.Equal((int)HttpStatusCode.InternalServerError, fault!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Something went wrong" })).ToBeVisibleAsync();
        await Expect(page.Locator("body")).Not.ToContainTextAsync("secret detail");
        await Expect(page.Locator("body")).Not.ToContainTextAsync("InvalidOperationException");
        await Pages.AssertAccessibleAsync(page);

        // Spend every run permit of this person through the REST API (at a sync that does not exist, which costs the
        // same), then ask for a run in the page. The bucket refills a permit every two seconds, and a loaded machine
        // can take that long to load the page: then the run is simply asked for, and the permits spent again.
        var origin = fixture.BaseUri.GetLeftPart(UriPartial.Authority);
        IResponse limited = null!;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await page.GotoAsync($"/syncs/{syncId}/runs");
            int spent;
            for (spent = 0; spent < 1000; spent++)
            {
                var response = await page.APIRequest.PostAsync($"/api/syncs/{Guid.NewGuid()}/runs", new()
                {
                    Headers = new Dictionary<string, string> { ["Origin"] = origin },
                });
                if (response.Status == (int)HttpStatusCode.TooManyRequests)
                {
                    break;
                }
                Assert.Equal((int)HttpStatusCode.NotFound, response.Status);
            }
            Assert.InRange(spent, 0, 999);
            limited = await page.RunAndWaitForResponseAsync(
                () => page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync(),
                r => r.Url.EndsWith($"/syncs/{syncId}/run", StringComparison.Ordinal));
            if (limited.Status == (int)HttpStatusCode.TooManyRequests)
            {
                break;
            }
        }
        Assert.Equal((int)HttpStatusCode.TooManyRequests, limited.Status);
        var retryAfter = await limited.HeaderValueAsync("retry-after");
        Assert.NotNull(retryAfter);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Too many requests" })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync($"try again in {(retryAfter == "1" ? "1 second" : $"{retryAfter} seconds")}");
        await Pages.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task A_run_that_fails_because_its_calendar_was_deleted_says_so_in_the_history()
    {
        var me = fixture.NewGoogleAccount("failing");
        var page = await fixture.NewPageAsync();
        await Pages.SignInAsync(page, "/syncs", me);
        var spare = await ConnectAsync(page, "spare");
        var calendarId = fixture.Google.Emulator.CreateCalendar(spare, "Copies that will vanish");
        var syncId = await SyncOfAsync(me, spare, calendarId);
        // The calendar the copies go to is deleted at Google, as its owner might.
        await fixture.Google.CallAsApiAsync(spare, HttpMethod.Delete, $"calendar/v3/calendars/{Uri.EscapeDataString(calendarId)}");

        await page.GotoAsync($"/syncs/{syncId}/runs");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await page.WaitForURLAsync("**/runs/**");
        await Expect(page.Locator("#run-status")).ToContainTextAsync("Failed", new() { Timeout = 60_000 });
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not exist any more");

        await page.GotoAsync($"/syncs/{syncId}/runs");
        var row = page.Locator("table.runs tbody tr").First;
        await Expect(row).ToContainTextAsync("Failed");
        var words = row.Locator(".error-text");
        await Expect(words).ToContainTextAsync("does not exist any more");
        await Expect(words).ToContainTextAsync("choose another calendar");
        var text = await words.InnerTextAsync();
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "failed-run");
    }

    /// <summary>Connects another fresh emulator account through the Accounts page and the emulator's chooser.</summary>
    private async Task<string> ConnectAsync(IPage page, string name)
    {
        var email = fixture.NewGoogleAccount(name);
        await page.GotoAsync("/accounts");
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect another Google account" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = email, Exact = false }).ClickAsync();
        await page.WaitForURLAsync("**/accounts");
        return email;
    }

    /// <summary>A one-way sync of the signed-in person from their sign-in account's primary calendar into a calendar of a connected account.</summary>
    private async Task<Guid> SyncOfAsync(string me, string targetEmail, string targetCalendarId)
    {
        var syncId = Guid.NewGuid();
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            insert into syncs (id, user_id, name, a_account_id, a_calendar_id, b_account_id, b_calendar_id, direction, created_at, updated_at)
            select @syncId, u.id, 'Trouble ahead', a.id, 'primary', b.id, @targetCalendarId, 'one-way', now(), now()
            from users u
            join google_accounts a on a.user_id = u.id and a.email = @me
            join google_accounts b on b.user_id = u.id and b.email = @targetEmail
            where u.email = @me
            """,
            new { syncId, me, targetEmail, targetCalendarId });
        return syncId;
    }
}
