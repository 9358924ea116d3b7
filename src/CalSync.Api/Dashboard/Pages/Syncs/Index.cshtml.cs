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
    public IReadOnlyList<SyncRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var rows = new List<SyncRow>();
        var now = time.GetUtcNow();
        var all = await syncs.ListAsync(UserId, cancellationToken);
        var latest = await history.LatestAsync([.. all.Select(s => s.Id)], cancellationToken);
        foreach (var sync in all)
        {
            var last = latest.GetValueOrDefault(sync.Id);
            var next = sync.Settings is { Active: true, Schedule: { } schedule } ? ScheduleChoice.NextFireTimes(schedule, now, 1) is [var first, ..] ? first : (DateTimeOffset?)null : null;
            rows.Add(new SyncRow(sync, last, next));
        }
        Rows = rows;
    }

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
        return RedirectToPage();
    }

    /// <summary>Which account and calendar; a primary calendar's id is its account's address, so it is named as such.</summary>
    public string CalendarLabel(Guid accountId, string calendarId) =>
        Viewer.Accounts.FirstOrDefault(a => a.Id == accountId)?.Email is { } email
            ? email == calendarId ? $"{email} (main calendar)" : $"{email} · {calendarId}"
            : "a removed account";
}
