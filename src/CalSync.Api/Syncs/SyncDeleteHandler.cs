using System.Security.Claims;
using CalSync.Api.Auth;
using CalSync.Api.Runs;
using CalSync.Engine.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalSync.Api.Syncs;

/// <summary>
/// <c>DELETE /api/syncs/{id}?removeCopies=</c>. Without removeCopies the copies stay where they are (204); with it a
/// <c>remove_copies</c> run is queued and announced like any run (202, Location of the run).
/// </summary>
public static class SyncDeleteHandler
{
    /// <param name="id">The sync.</param>
    /// <param name="removeCopies">Also delete every copy the sync made (default false: they stay as ordinary events).</param>
    /// <param name="user">The caller.</param>
    /// <param name="syncs">Sync rows.</param>
    /// <param name="runs">Announces the copy removal run.</param>
    /// <param name="cancellationToken">The request's.</param>
    public static async Task<Results<NoContent, Accepted<RunQueuedReply>, NotFound, ProblemHttpResult>> DeleteAsync(
        Guid id, bool? removeCopies, ClaimsPrincipal user, SyncStore syncs, RunRequester runs, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();

        // SyncDeletion: wired at merge. Replace from here to "end of seam" with:
        //     var deletion = await syncDeletion.DeleteAsync(userId, id, removeCopies == true, cancellationToken);
        //     var found = deletion.Status == SyncDeletionStatus.Deleted;
        //     Run? removal = deletion.RemovalRun;
        // (inject CalSync.Engine.Sync.SyncDeletion as a parameter) and drop the 501 branch.
        if (removeCopies == true)
        {
            // Until the Engine can remove copies, refuse rather than delete the sync and orphan them.
            return await syncs.GetAsync(userId, id, cancellationToken) is null
                ? TypedResults.NotFound()
                : TypedResults.Problem(
                    title: "Not implemented yet",
                    detail: "Removing a sync's copies is not available yet; delete it without removeCopies to keep them.",
                    statusCode: StatusCodes.Status501NotImplemented);
        }
        var found = await syncs.DeleteAsync(userId, id, cancellationToken);
        Run? removal = null;
        // End of seam.

        if (!found)
        {
            return TypedResults.NotFound();
        }
        if (removal is null)
        {
            return TypedResults.NoContent();
        }
        await runs.AnnounceAsync(removal, cancellationToken);
        return TypedResults.Accepted($"/api/runs/{removal.Id}", new RunQueuedReply(removal.Id, removal.Status));
    }
}
