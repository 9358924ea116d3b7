using CalSync.Api.Runs;
using CalSync.Engine.Runs;
using CalSync.Engine.Sync;

namespace CalSync.Api.Dashboard;

/// <summary>A change with its place in the run's list, which the next page starts after.</summary>
public sealed record RunChangeEntry(long Position, RunChangeReply Change)
{
    public static RunChangeEntry From(PositionedChange change) => new(change.Position, RunChangeReply.From(change.Change));
}

/// <summary>A run and one page of its changes, as the run page and its live updates render them.</summary>

public sealed record RunPanel(Run Run, SyncRecord? Sync, IReadOnlyList<RunChangeEntry> Changes, long After, long? NextAfter, int DeletesPlanned)
{
    public const int PageSize = 50;

    /// <summary>Reads the run (null when it is not the person's) and the page of changes after <paramref name="after"/>.</summary>
    public static async Task<RunPanel?> LoadAsync(RunHistory history, SyncStore syncs, Guid userId, Guid runId, long after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(syncs);
        if (await history.GetAsync(userId, runId, cancellationToken) is not { } run)
        {
            return null;
        }
        var sync = await syncs.GetAsync(userId, run.SyncId, cancellationToken);
        var page = (await history.ChangesAsync(runId, Math.Max(0, after), PageSize + 1, cancellationToken)).Select(RunChangeEntry.From).ToList();
        long? next = null;
        if (page.Count > PageSize)
        {
            page = [.. page.Take(PageSize)];
            next = page[^1].Position;
        }
        var deletes = 0;
        if (run.Status == RunStatus.NeedsConfirmation)
        {
            // The guard stopped before deleting; the changes list the deletions it would have made.
            long cursor = 0;
            while (true)
            {
                var batch = await history.ChangesAsync(runId, cursor, 1000, cancellationToken);
                deletes += batch.Count(c => c.Change.Action == "delete");
                if (batch.Count < 1000)
                {
                    break;
                }
                cursor = batch[^1].Position;
            }
        }
        return new RunPanel(run, sync, page, after, next, deletes);
    }
}
