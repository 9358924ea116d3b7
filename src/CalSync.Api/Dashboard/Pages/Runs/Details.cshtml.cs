using CalSync.Engine.Runs;
using CalSync.Engine.Sync;
using Microsoft.AspNetCore.Mvc;

namespace CalSync.Api.Dashboard.Pages.Runs;

/// <summary>One run, live while it is queued or running (dashboard.js polls the panel), then its changes.</summary>
public sealed class DetailsModel(RunHistory history, SyncStore syncs) : DashboardPage
{
    public RunPanel Panel { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, long? after, CancellationToken cancellationToken)
    {
        if (await RunPanel.LoadAsync(history, syncs, UserId, id, after ?? 0, cancellationToken) is not { } panel)
        {
            return NotFound();
        }
        Panel = panel;
        return Page();
    }

    /// <summary>Just the panel, for the page's live updates.</summary>
    public async Task<IActionResult> OnGetPanelAsync(Guid id, long? after, CancellationToken cancellationToken) =>
        await RunPanel.LoadAsync(history, syncs, UserId, id, after ?? 0, cancellationToken) is { } panel
            ? Partial("_RunPanel", panel)
            : NotFound();
}
