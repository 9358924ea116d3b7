using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CalSync.Dashboard.Tests;

/// <summary>Copy rules set in the form: judged by the API's own checks, previewed, and obeyed by the run.</summary>
public sealed class CopyRulesTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task A_person_sets_a_keyword_exclude_and_a_title_template_fixes_working_hours_and_the_run_obeys_them()
    {
        var work = fixture.NewGoogleAccount("rules");
        var now = TimeProvider.System.GetUtcNow();
        await Pages.AddEventAsync(fixture.Google, work, "Standup", now);
        await Pages.AddEventAsync(fixture.Google, work, "Private Dentist", now);
        var page = await fixture.NewPageAsync();
        await Pages.SignInAsync(page, "/accounts", work);
        var home = fixture.NewGoogleAccount("copies");
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect another Google account" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = home, Exact = false }).ClickAsync();
        await page.WaitForURLAsync("**/accounts");

        await page.GotoAsync("/syncs/new");
        await page.Locator("#name").FillAsync("Work without the dentist");
        await Pages.PickCalendarAsync(page, "source", work);
        await Pages.PickCalendarAsync(page, "target", home);
        // The rules start folded away; opened, they offer the API's choices.
        var filter = page.Locator("#toTarget-Exclude");
        await Expect(filter).Not.ToBeVisibleAsync();
        await page.Locator("details.rules summary", new() { HasText = "What gets copied" }).First.ClickAsync();
        await filter.FillAsync("dentist, ");
        await page.GetByLabel("Copy only events that overlap these hours").First.CheckAsync();
        foreach (var day in new[] { "saturday", "sunday" })
        {
            await page.Locator($"#toTarget-Days-{day}").CheckAsync();
        }
        await page.Locator("#toTarget-From").FillAsync("18:00");
        await page.Locator("#toTarget-To").FillAsync("08:00");
        await page.Locator("#toTarget-TimeZone").SelectOptionAsync("UTC");
        await page.Locator("#toTarget-OutOfOffice").SelectOptionAsync("ownType");
        await page.Locator("details.rules summary", new() { HasText = "How copies look" }).First.ClickAsync();
        await page.Locator("#toTarget-Title").SelectOptionAsync("template");
        await page.Locator("#toTarget-TitleTemplate").FillAsync("Work: {title}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create sync" }).ClickAsync();

        // The API's words, next to the field they are about; the rules stay open and keep what was typed.
        await Expect(page.Locator("#toTarget-To-error")).ToContainTextAsync("later than from");
        await Expect(page.Locator("#toTarget-To")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#toTarget-Exclude")).ToBeVisibleAsync();
        await Expect(page.Locator("#toTarget-Exclude")).ToHaveValueAsync("dentist, ");
        await Expect(page.Locator("#toTarget-TitleTemplate")).ToHaveValueAsync("Work: {title}");
        await Expect(page.Locator("#toTarget-Days-sunday")).ToBeCheckedAsync();
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "form-rules");
        await page.Locator("#toTarget-From").FillAsync("08:00");
        await page.Locator("#toTarget-To").FillAsync("18:00");

        // The preview says which event a rule leaves out, and why.
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await page.WaitForURLAsync("**/preview?**");
        await Expect(page.Locator("#run-status")).ToContainTextAsync("Succeeded", new() { Timeout = 60_000 });
        var changes = page.Locator("table.changes");
        await Expect(changes.Locator("tr", new() { HasText = "Private Dentist" })).ToContainTextAsync("copyToTarget.filter.exclude");
        await Expect(changes.Locator("tr", new() { HasText = "Standup" })).ToContainTextAsync("target");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save sync" }).ClickAsync();
        await page.WaitForURLAsync("**/syncs");

        await page.Locator("li.sync", new() { HasText = "Work without the dentist" }).GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await page.WaitForURLAsync("**/runs/**");
        await Expect(page.Locator("#run-status")).ToContainTextAsync("Succeeded", new() { Timeout = 60_000 });
        var copies = await Pages.TitlesAsync(fixture.Google, home);
        Assert.Equal(["Work: Standup"], copies);

        // The edit form shows the stored rules (the list without its stray separator).
        await page.GotoAsync("/syncs");
        await page.Locator("li.sync", new() { HasText = "Work without the dentist" }).GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await Expect(page.Locator("#toTarget-Title")).ToHaveValueAsync("template");
        await Expect(page.Locator("#toTarget-Exclude")).ToHaveValueAsync("dentist");
        await Expect(page.Locator("#toTarget-WorkingHours")).ToBeCheckedAsync();
        await Expect(page.Locator("#toTarget-From")).ToHaveValueAsync("08:00");
        await Expect(page.Locator("#toTarget-OutOfOffice")).ToHaveValueAsync("ownType");
        await Pages.AssertAccessibleAsync(page);

        // A rule change previewed: the copy it would now remove and the event it would now copy, each with its
        // rule; nothing is written, and Undo puts the earlier rules back.
        await page.Locator("#toTarget-Exclude").FillAsync("standup");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await page.WaitForURLAsync("**/preview?**");
        await Expect(page.Locator("#run-status")).ToContainTextAsync("Succeeded", new() { Timeout = 60_000 });
        changes = page.Locator("table.changes");
        await Expect(changes.Locator("tr", new() { HasText = "Standup" })).ToContainTextAsync("copyToTarget.filter.exclude");
        await Expect(changes.Locator("tr", new() { HasText = "Standup" })).ToContainTextAsync("Deleted");
        await Expect(changes.Locator("tr", new() { HasText = "Private Dentist" })).ToContainTextAsync("Created");
        await Pages.AssertAccessibleAsync(page);
        Assert.Equal(["Work: Standup"], await Pages.TitlesAsync(fixture.Google, home));
        await page.GetByRole(AriaRole.Button, new() { Name = "Undo changes" }).ClickAsync();
        await page.WaitForURLAsync("**/syncs");
        await Expect(page.Locator("li.sync", new() { HasText = "Work without the dentist" }).Locator(".tag")).ToHaveCountAsync(0);
        await page.GotoAsync("/syncs");
        await page.Locator("li.sync", new() { HasText = "Work without the dentist" }).GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await Expect(page.Locator("#toTarget-Exclude")).ToHaveValueAsync("dentist");
        await Expect(page.Locator("#active")).ToBeCheckedAsync();
    }
}
