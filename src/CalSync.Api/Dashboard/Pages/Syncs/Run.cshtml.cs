using CalSync.Api.Runs;
using CalSync.Engine.Runs;
using CalSync.Engine.Sync;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CalSync.Api.Dashboard.Pages.Syncs;

/// <summary>"Run now" (and "Delete them" after the mass-deletion guard stopped a run): queues a run as <c>POST /api/syncs/{id}/runs</c> does, under the same per-person limit, and shows it.</summary>
[EnableRateLimiting(RunTriggerLimits.PolicyName)]
public sealed class RunModel(SyncStore syncs, RunRequester requester) : DashboardPage
{
    public async Task<IActionResult> OnPostAsync(Guid id, bool confirmDeletes, CancellationToken cancellationToken)
    {
        if (await syncs.GetAsync(UserId, id, cancellationToken) is null)
        {
            return NotFound();
        }
        var run = await requester.RequestAsync(id, RunTrigger.Manual, fullResync: false, dryRun: false, confirmDeletes, cancellationToken);
        return Redirect($"/runs/{run.Id}");
    }
}
