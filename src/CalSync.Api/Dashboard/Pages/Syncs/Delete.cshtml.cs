using CalSync.Api.Runs;
using CalSync.Api.Syncs;
using CalSync.Engine.Sync;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CalSync.Api.Dashboard.Pages.Syncs;

/// <summary>Deleting a sync, asking first whether its copies go too; the API's own delete does the work.</summary>
public sealed class DeleteModel(SyncStore syncs) : DashboardPage
{
    public SyncRecord Sync { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await syncs.GetAsync(UserId, id, cancellationToken) is not { } sync)
        {
            return NotFound();
        }
        Sync = sync;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(
        Guid id, bool removeCopies, [FromServices] SyncDeletion deletion, [FromServices] RunRequester runs, CancellationToken cancellationToken)
    {
        var name = (await syncs.GetAsync(UserId, id, cancellationToken))?.Settings.Name;
        var result = await SyncDeleteHandler.DeleteAsync(id, removeCopies, User, deletion, runs, cancellationToken);
        switch (result.Result)
        {
            case Accepted<RunQueuedReply> accepted:
                Notice = $"“{name}” is deleted; its copies are being removed.";
                return Redirect($"/runs/{accepted.Value!.RunId}");
            case NoContent:
                Notice = $"“{name}” is deleted; its copies stay in the calendars as ordinary events.";
                return Redirect("/syncs");
            default:
                return NotFound();
        }
    }
}
