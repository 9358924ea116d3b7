using CalSync.Api.Syncs;
using CalSync.Engine.Runs;
using CalSync.Engine.Sync;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CalSync.Api.Dashboard.Pages.Syncs;

/// <summary>A sync as the list shows it: its last run and, when scheduled and not paused, its next.</summary>
public sealed record SyncRow(SyncRecord Sync, Run? LastRun, DateTimeOffset? NextRun);

/// <summary>The person's syncs, with run now, pause and resume.</summary>
public sealed class IndexModel(SyncStore syncs, RunHistory history, IOptions<ScheduleRuleOptions> rules, TimeProvider time) : DashboardPage
{
    /// <summary>Fifty cards a page: a person with hundreds of syncs still gets a page that loads and reads quickly.</summary>
    public const int PageSize = 50;

    public IReadOnlyList<SyncRow> Rows { get; private set; } = [];

    /// <summary>Which page this is, of how many (1 of 1 when there are none).</summary>
    public SyncPage Shown { get; private set; } = new([], 1, 1, 0);

    /// <summary>The list's address at a page, the first included, so a link says which page it leads to.</summary>
    public static string PageLink(int number) => $"/syncs?page={number}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        // Read by hand: "page" is Razor Pages' own route value, so it cannot be a bound handler argument.
        if (!PageNumber.TryRead(Request.Query["page"], out var number))
        {
            return BadRequest();
        }
        var now = time.GetUtcNow();
        Shown = await syncs.ListPageAsync(UserId, number, PageSize, cancellationToken);
        var latest = await history.LatestAsync([.. Shown.Syncs.Select(s => s.Id)], cancellationToken);
        Rows = [.. Shown.Syncs.Select(sync => new SyncRow(sync, latest.GetValueOrDefault(sync.Id), NextRun(sync, now)))];
        return Page();
    }

    private static DateTimeOffset? NextRun(SyncRecord sync, DateTimeOffset now) =>
        sync.Settings is { Active: true, Schedule: { } schedule } && ScheduleChoice.NextFireTimes(schedule, now, 1) is [var first, ..] ? first : null;

    public Task<IActionResult> OnPostPauseAsync(Guid id, CancellationToken cancellationToken) => SetActiveAsync(id, false, cancellationToken);

    public Task<IActionResult> OnPostResumeAsync(Guid id, CancellationToken cancellationToken) => SetActiveAsync(id, true, cancellationToken);

    private async Task<IActionResult> SetActiveAsync(Guid id, bool active, CancellationToken cancellationToken)
    {
        var edit = await syncs.UpdateAsync(
            UserId, id, current => SyncPatching.Apply(current, new SyncPatch { Active = active }, time.GetUtcNow(), rules.Value.MinimumInterval, new FieldErrors()), cancellationToken);
        if (edit.Sync is null)
        {
            return NotFound();
        }
        Notice = active ? $"“{edit.Sync.Settings.Name}” is running on its schedule again." : $"“{edit.Sync.Settings.Name}” is paused: its schedule will not run it.";
        // Back to the page the person was on (the form's address carries it); a mangled one is the first page.
        return LocalRedirect(PageNumber.TryRead(Request.Query["page"], out var number) && number > 1 ? PageLink(number) : "/syncs");
    }

    /// <summary>Which account and calendar; a primary calendar's id is its account's address, so it is named as such.</summary>
    public string CalendarLabel(Guid accountId, string calendarId) =>
        Viewer.Accounts.FirstOrDefault(a => a.Id == accountId)?.Email is { } email
            ? email == calendarId ? $"{email} (main calendar)" : $"{email} · {calendarId}"
            : "a removed account";
}
