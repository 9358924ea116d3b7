using System.Net;
using System.Text.Json;
using CalSync.Api.Runs;
using CalSync.Engine.Auth;
using CalSync.Engine.People;
using CalSync.Engine.Runs;
using CalSync.Engine.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CalSync.Dashboard.Tests;

/// <summary>Accounts, access tokens, live runs and what one person may see of another's.</summary>
public sealed class PeopleTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task A_second_person_never_sees_or_changes_the_first_persons_syncs_runs_or_accounts()
    {
        var first = await fixture.Google.CreateSyncAsync(fixture.ApiServices, fixture.Database.DataSource, "one-way");
        using var scope = fixture.ApiServices.CreateScope();
        var requester = scope.ServiceProvider.GetRequiredService<RunRequester>();
        var run = await requester.RequestAsync(first.SyncId, RunTrigger.Manual, fullResync: false, dryRun: false, CancellationToken.None);
        var other = fixture.NewGoogleAccount("other");
        var page = await fixture.NewPageAsync();
        await Pages.SignInAsync(page, "/syncs", other);

        await Expect(page.Locator("li.sync")).ToHaveCountAsync(0);
        foreach (var path in new[] { $"/syncs/{first.SyncId}/edit", $"/syncs/{first.SyncId}/runs", $"/syncs/{first.SyncId}/delete", $"/runs/{run.Id}", $"/runs/{run.Id}?handler=Panel" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        }
        await page.GotoAsync("/accounts");
        await Expect(page.Locator("main")).Not.ToContainTextAsync(first.SourceEmail);
        await Expect(page.Locator("main")).Not.ToContainTextAsync(first.TargetEmail);
        await page.GotoAsync("/syncs/new");
        await Expect(page.Locator("#source")).Not.ToContainTextAsync(first.SourceEmail);
        await Expect(page.Locator("#target")).Not.ToContainTextAsync(first.TargetEmail);

        // Forms posted with this person's own antiforgery token, at the first person's ids: nothing happens.
        var csrf = await page.Locator("input[name=__csrf]").First.GetAttributeAsync("value");
        foreach (var path in new[] { $"/syncs/{first.SyncId}/run", $"/syncs/{first.SyncId}/delete", $"/syncs?handler=Pause&id={first.SyncId}", $"/syncs/{first.SyncId}/edit" })
        {
            var response = await page.APIRequest.PostAsync(path, new()
            {
                Headers = new Dictionary<string, string> { ["Origin"] = fixture.BaseUri.GetLeftPart(UriPartial.Authority) },
                Form = page.APIRequest.CreateFormData().Set("__csrf", csrf!).Set("removeCopies", "true").Set("Form.Name", "taken"),
                MaxRedirects = 0,
            });
            Assert.Equal((int)HttpStatusCode.NotFound, response.Status);
        }
        var history = fixture.ApiServices.GetRequiredService<RunHistory>();
        Assert.Single(await history.ListAsync(first.SyncId, null, 10, CancellationToken.None));
        var owner = await OwnerAsync(first.SyncId);
        var sync = await fixture.ApiServices.GetRequiredService<SyncStore>().GetAsync(owner, first.SyncId, CancellationToken.None);
        Assert.NotNull(sync);
        Assert.Equal(("test sync", true), (sync.Settings.Name, sync.Settings.Active));
    }

    [Fact]
    public async Task On_a_small_screen_a_person_manages_accounts_and_access_tokens()
    {
        var me = fixture.NewGoogleAccount("me");
        var spare = fixture.NewGoogleAccount("spare");
        var page = await fixture.NewPageAsync(narrow: true);
        await Pages.SignInAsync(page, "/accounts", me);
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect another Google account" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = spare, Exact = false }).ClickAsync();
        await page.WaitForURLAsync("**/accounts");

        // A sync uses the spare account: removing it is refused in words, with a link to that sync.
        await page.GotoAsync("/syncs/new");
        await page.Locator("#name").FillAsync("Spare copy");
        await Pages.PickCalendarAsync(page, "source", me);
        await Pages.PickCalendarAsync(page, "target", spare);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create sync" }).ClickAsync();
        await page.WaitForURLAsync("**/syncs");
        await page.GotoAsync("/accounts");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove {spare}" }).ClickAsync();
        var refusal = page.Locator(".banner.error");
        await Expect(refusal).ToContainTextAsync($"{spare} is still used by 1 sync");
        await Expect(refusal.GetByRole(AriaRole.Link, new() { Name = "Spare copy" })).ToBeVisibleAsync();
        await Pages.AssertAccessibleAsync(page);

        // Google stops accepting the spare account: every page warns until it is connected again.
        var accounts = fixture.ApiServices.GetRequiredService<GoogleAccountStore>();
        var userId = (await fixture.ApiServices.GetRequiredService<UserStore>().GetAsync(await SignedInUserAsync(page), CancellationToken.None))!.Id;
        var spareAccount = (await accounts.ListForUserAsync(userId, CancellationToken.None)).Single(a => a.Email == spare);
        await accounts.MarkReauthRequiredAsync(spareAccount.Id, CancellationToken.None);
        foreach (var path in new[] { "/syncs", "/tokens", "/accounts" })
        {
            await page.GotoAsync(path);
            await Expect(page.Locator(".banner.warning")).ToContainTextAsync($"Google no longer lets CalSync use {spare}");
        }
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "reconnect");
        await page.Locator(".banner.warning").GetByRole(AriaRole.Button, new() { Name = $"Reconnect {spare}" }).ClickAsync();
        await page.WaitForURLAsync("**/accounts");
        await Expect(page.Locator(".banner.warning")).ToHaveCountAsync(0);

        // Access tokens: shown once, usable at once, revoked at once.
        await page.GotoAsync("/tokens");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        await Expect(page.Locator("#token-name-error")).ToContainTextAsync("1 to 100 characters");
        await page.GetByLabel("What is it for?").FillAsync("backup script");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var secret = await page.Locator("#new-token").TextContentAsync();
        Assert.StartsWith("csk_", secret);
        await Expect(page.Locator("table.tokens")).ToContainTextAsync(secret![..12]);
        await Expect(page.Locator("table.tokens")).Not.ToContainTextAsync(secret);
        await Pages.AssertAccessibleAsync(page);
        await Pages.ScreenshotAsync(page, "tokens");
        Assert.Equal(HttpStatusCode.OK, await MeStatusAsync(secret));
        await page.GotoAsync("/tokens");
        await Expect(page.Locator("#new-token")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke backup script" }).ClickAsync();
        await Expect(page.Locator("table.tokens")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync(secret));

        // Signing out ends the session: the next dashboard page asks to sign in again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GotoAsync("/tokens");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose an account" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_queued_run_becomes_a_result_on_the_open_page_without_a_reload()
    {
        var sandbox = await fixture.Google.CreateSyncAsync(fixture.ApiServices, fixture.Database.DataSource, "one-way");
        await Pages.AddEventAsync(fixture.Google, sandbox.SourceEmail, "Standup", TimeProvider.System.GetUtcNow());
        // Queued but not announced: the worker's dispatcher only picks it up after its grace period, so the page sees it waiting.
        var (run, _) = await fixture.ApiServices.GetRequiredService<RunStore>().EnqueueAsync(sandbox.SyncId, RunTrigger.Manual, false, false, CancellationToken.None);
        var page = await fixture.NewPageAsync();
        await SignInAsOwnerAsync(page, sandbox.SyncId, $"/runs/{run.Id}");

        await Expect(page.Locator("#run-status")).ToContainTextAsync("Queued");
        await page.EvaluateAsync("() => { window.stillThisPage = true; }");
        await Expect(page.Locator("#run-status")).ToContainTextAsync("Succeeded", new() { Timeout = 60_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.stillThisPage === true"));
        await Expect(page.Locator("table.changes")).ToContainTextAsync("Standup");
    }

    [Fact]
    public async Task A_run_stopped_by_the_mass_deletion_guard_says_how_many_copies_would_go_and_deletes_them_when_asked()
    {
        var sandbox = await fixture.Google.CreateSyncAsync(fixture.ApiServices, fixture.Database.DataSource, "one-way");
        var now = TimeProvider.System.GetUtcNow();
        for (var i = 0; i < 12; i++)
        {
            await Pages.AddEventAsync(fixture.Google, sandbox.SourceEmail, $"Class {i}", now);
        }
        var page = await fixture.NewPageAsync();
        await SignInAsOwnerAsync(page, sandbox.SyncId, "/syncs");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(page.Locator("#run-status")).ToContainTextAsync("Succeeded", new() { Timeout = 30_000 });
        Assert.Equal(12, (await Pages.TitlesAsync(fixture.Google, sandbox.TargetEmail)).Count);

        // The whole source calendar is emptied: more than ten copies, and all of them, would go.
        using (var events = JsonDocument.Parse(await fixture.Google.CallAsApiAsync(sandbox.SourceEmail, HttpMethod.Get, "calendar/v3/calendars/primary/events")))
        {
            foreach (var item in events.RootElement.GetProperty("items").EnumerateArray())
            {
                await fixture.Google.CallAsApiAsync(sandbox.SourceEmail, HttpMethod.Delete, $"calendar/v3/calendars/primary/events/{item.GetProperty("id").GetString()}");
            }
        }
        await page.GotoAsync("/syncs");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(page.Locator("#run-status")).ToContainTextAsync("Waiting for your confirmation", new() { Timeout = 30_000 });
        await Expect(page.Locator("#run-panel .banner.warning")).ToContainTextAsync("it would delete 12 copies");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Cancel" })).ToBeVisibleAsync();
        await Pages.AssertAccessibleAsync(page);
        Assert.Equal(12, (await Pages.TitlesAsync(fixture.Google, sandbox.TargetEmail)).Count);

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete them" }).ClickAsync();
        await Expect(page.Locator("#run-status")).ToContainTextAsync("Succeeded", new() { Timeout = 30_000 });
        await Expect(page.Locator(".counts")).ToContainTextAsync("12 deleted");
        Assert.Empty(await Pages.TitlesAsync(fixture.Google, sandbox.TargetEmail));
    }

    // The sandbox's users have no Google sign-in; give this one a session the way the callback does, as a cookie.
    private async Task SignInAsOwnerAsync(IPage page, Guid syncId, string path)
    {
        var owner = await OwnerAsync(syncId);
        var (secret, _) = await fixture.ApiServices.GetRequiredService<SessionStore>().CreateAsync(owner, CancellationToken.None);
        await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "calsync_session", Value = secret, Url = fixture.BaseUri.ToString() }]);
        await page.GotoAsync(path);
    }

    private async Task<Guid> OwnerAsync(Guid syncId)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "select user_id from syncs where id = $1";
        command.Parameters.AddWithValue(syncId);
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<Guid> SignedInUserAsync(IPage page)
    {
        var response = await page.APIRequest.GetAsync("/api/me");
        using var me = JsonDocument.Parse(await response.TextAsync());
        return me.RootElement.GetProperty("id").GetGuid();
    }

    private async Task<HttpStatusCode> MeStatusAsync(string token)
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
