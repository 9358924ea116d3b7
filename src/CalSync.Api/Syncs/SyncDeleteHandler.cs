using System.Security.Claims;
using CalSync.Api.Auth;
using CalSync.Api.Runs;
using CalSync.Engine.Sync;
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
    /// <param name="syncDeletion">The Engine's soft delete: ends queued runs, queues the copy removal.</param>
    /// <param name="runs">Announces the copy removal run.</param>
    /// <param name="cancellationToken">The request's.</param>
    public static async Task<Results<NoContent, Accepted<RunQueuedReply>, NotFound>> DeleteAsync(
        Guid id, bool? removeCopies, ClaimsPrincipal user, SyncDeletion syncDeletion, RunRequester runs, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();

        var deletion = await syncDeletion.DeleteAsync(userId, id, removeCopies == true, cancellationToken);
        var found = deletion.Status == SyncDeletionStatus.Deleted;
        var removal = deletion.RemovalRun;

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
