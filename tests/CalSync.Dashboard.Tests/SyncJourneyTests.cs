using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CalSync.Dashboard.Tests;

/// <summary>One person's way through the dashboard, checked against what Google (the emulator) then holds.</summary>
public sealed class SyncJourneyTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task A_person_signs_in_connects_an_account_and_creates_previews_runs_edits_pauses_and_deletes_a_two_way_sync()
    {
        var work = fixture.NewGoogleAccount("work");
        var home = fixture.NewGoogleAccount("home");
        var now = TimeProvider.System.GetUtcNow();
        await Pages.AddEventAsync(fixture.Google, work, "Dentist", now);
        await Pages.AddEventAsync(fixture.Google, home, "School run", now);
        var page = await fixture.NewPageAsync();

        // Signed out, the landing page offers sign-in; a dashboard page sends the person to sign in and back.
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Google" })).ToBeVisibleAsync();
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "landing");
        await Pages.SignInAsync(page, "/accounts", work);
        await Expect(page.Locator(".who")).ToContainTextAsync(work);

        // Connect the second account through Google's consent (the emulator's chooser).
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect another Google account" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = home, Exact = false }).ClickAsync();
        await page.WaitForURLAsync("**/accounts");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = home })).ToBeVisibleAsync();
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "accounts");

        // The form: a blank name is refused next to its field; fixed, Preview shows what the first run would do.
        await page.GotoAsync("/syncs/new");
        // Each calendar shows its colour at Google and the access the account has.
        using (var entry = System.Text.Json.JsonDocument.Parse(await fixture.Google.CallAsApiAsync(work, HttpMethod.Get, "calendar/v3/users/me/calendarList/primary")))
        {
            var calendar = page.Locator($"#source [data-account='{work}'] .choice").First;
            await Expect(calendar.Locator("circle")).ToHaveAttributeAsync("fill", entry.RootElement.GetProperty("backgroundColor").GetString()!);
            await Expect(calendar).ToContainTextAsync("(owner)");
        }
        await Pages.PickCalendarAsync(page, "source", work);
        await Pages.PickCalendarAsync(page, "target", home);
        await page.GetByLabel("Two ways").CheckAsync();
        await page.Locator("#toTargetPrivacy").CheckAsync();
        await page.Locator("#toTargetPlaceholder").FillAsync("Busy at work");
        await page.Locator("#toTargetColor-11").CheckAsync();
        await page.GetByLabel("Every 15 minutes").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create sync" }).ClickAsync();
        await Expect(page.Locator("#name-error")).ToHaveTextAsync("A name is required.");
        await Expect(page.Locator("#name")).ToHaveAttributeAsync("aria-invalid", "true");
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "form-error");
        await page.Locator("#name").FillAsync("Work and home");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show next runs" }).ClickAsync();
        await Expect(page.Locator("#fire-times li")).ToHaveCountAsync(3);
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await page.WaitForURLAsync("**/preview?**");
        await Expect(page.Locator("#run-status")).ToContainTextAsync("Succeeded", new() { Timeout = 30_000 });
        var preview = page.Locator("table.changes");
        await Expect(preview).ToContainTextAsync("Dentist");
        await Expect(preview).ToContainTextAsync("School run");
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "preview");
        Assert.DoesNotContain("Busy at work", await Pages.TitlesAsync(fixture.Google, home)); // A preview writes nothing.
        await page.GetByRole(AriaRole.Button, new() { Name = "Save sync" }).ClickAsync();
        await page.WaitForURLAsync("**/syncs");

        // Run now: queued, running, then the result and its changes, without a reload.
        var card = page.Locator("li.sync", new() { HasText = "Work and home" });
        await Expect(card).ToContainTextAsync("both ways");
        await Pages.AssertAccessibleAsync(page);
        await card.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await page.WaitForURLAsync("**/runs/**");
        await Expect(page.Locator("#run-status")).ToContainTextAsync("Succeeded", new() { Timeout = 30_000 });
        var changes = page.Locator("table.changes");
        await Expect(changes.Locator("tr", new() { HasText = "Dentist" })).ToContainTextAsync("target");
        await Expect(changes.Locator("tr", new() { HasText = "School run" })).ToContainTextAsync("source");
        await Expect(page.Locator(".counts")).ToContainTextAsync("2 created");
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "run");
        Assert.Contains("Busy at work", await Pages.TitlesAsync(fixture.Google, home));
        Assert.Contains("School run", await Pages.TitlesAsync(fixture.Google, work));

        // History: newest first; the run opens its changes.
        await page.GotoAsync("/syncs");
        await page.Locator("li.sync", new() { HasText = "Work and home" }).GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        var rows = page.Locator("table.runs tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(1)).ToContainTextAsync("Preview");
        await Pages.AssertAccessibleAsync(page);
        await rows.Nth(0).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.Locator("table.changes")).ToContainTextAsync("Dentist");

        // Edit: a new placeholder, and the next run puts it on the copy.
        await page.GotoAsync("/syncs");
        await page.Locator("li.sync", new() { HasText = "Work and home" }).GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await Expect(page.Locator("#toTargetPlaceholder")).ToHaveValueAsync("Busy at work");
        await Expect(page.Locator("#toTargetColor-11")).ToBeCheckedAsync();
        await Pages.AssertAccessibleAsync(page);
        await page.Locator("#toTargetPlaceholder").FillAsync("Away");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await page.WaitForURLAsync("**/syncs");
        await page.Locator("li.sync", new() { HasText = "Work and home" }).GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(page.Locator("#run-status")).ToContainTextAsync("Succeeded", new() { Timeout = 30_000 });
        var homeTitles = await Pages.TitlesAsync(fixture.Google, home);
        Assert.Contains("Away", homeTitles);
        Assert.DoesNotContain("Busy at work", homeTitles);

        // Pause, then delete with the copies.
        await page.GotoAsync("/syncs");
        card = page.Locator("li.sync", new() { HasText = "Work and home" });
        await card.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(page.Locator("li.sync", new() { HasText = "Work and home" }).Locator(".tag")).ToHaveTextAsync("Paused");
        await Pages.ScreenshotAsync(page, "syncs");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await Pages.AssertAccessibleAsync(page); // The dark palette's contrast too.
        await Pages.ScreenshotAsync(page, "syncs-dark");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.Locator("li.sync", new() { HasText = "Work and home" }).GetByRole(AriaRole.Link, new() { Name = "Delete" }).ClickAsync();
        await Pages.AssertAccessibleAsync(page);
        await page.GetByLabel("Remove them too").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete sync" }).ClickAsync();
        await Expect(page.Locator("#run-status")).ToContainTextAsync("Succeeded", new() { Timeout = 30_000 });
        Assert.Equal(["School run"], await Pages.TitlesAsync(fixture.Google, home));
        Assert.Equal(["Dentist"], await Pages.TitlesAsync(fixture.Google, work));
        await page.GotoAsync("/syncs");
        await Expect(page.Locator("li.sync")).ToHaveCountAsync(0);
    }
}
