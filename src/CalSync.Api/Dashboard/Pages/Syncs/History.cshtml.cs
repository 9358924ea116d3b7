using CalSync.Engine.Runs;
using CalSync.Engine.Sync;
using Microsoft.AspNetCore.Mvc;

namespace CalSync.Api.Dashboard.Pages.Syncs;

/// <summary>A sync's runs, newest first, a page at a time.</summary>
public sealed class HistoryModel(SyncStore syncs, RunHistory history) : DashboardPage
{
    private const int PageSize = 20;

    public SyncRecord Sync { get; private set; } = null!;
    public IReadOnlyList<Run> Runs { get; private set; } = [];
    public Guid? NextBefore { get; private set; }
    public bool FirstPage { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, Guid? before, CancellationToken cancellationToken)
    {
        if (await syncs.GetAsync(UserId, id, cancellationToken) is not { } sync)
        {
            return NotFound();
        }
        Sync = sync;
        FirstPage = before is null;
        var page = await history.ListAsync(id, before, PageSize + 1, cancellationToken);
        if (page.Count > PageSize)
        {
            page = [.. page.Take(PageSize)];
            NextBefore = page[^1].Id;
        }
        Runs = page;
        return Page();
    }
}
