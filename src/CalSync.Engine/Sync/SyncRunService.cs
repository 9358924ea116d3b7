using CalSync.Engine.Google;
using CalSync.Engine.Runs;

namespace CalSync.Engine.Sync;

/// <summary>
/// The work of a run: load its sync, open both calendars with their accounts' credentials, and run the engine,
/// or, for a <see cref="RunKind.RemoveCopies"/> run, remove the deleted sync's copies. The run processor calls
/// this between <c>running</c> and the end state, holding the sync's lock.
/// </summary>
public sealed class SyncRunService(SyncDefinitionStore syncs, GoogleCalendarClientFactory google, SyncRunner runner, CopyRemover remover)
{
    public async Task<SyncOutcome> RunAsync(Run run, IRunProgress progress, CancellationToken cancellationToken)
    {
        if (run.Kind == RunKind.RemoveCopies)
        {
            var deleted = await syncs.GetDeletedAsync(run.SyncId, cancellationToken)
                ?? throw new RunWorkException($"Sync {run.SyncId} is not deleted; only a deleted sync's copies are removed.", isRetryable: false);
            var (copiesA, copiesB) = Sides(deleted);
            return await remover.RemoveAsync(run.Id, deleted, copiesA, copiesB, progress, cancellationToken);
        }

        // A deleted sync is not loaded: its run fails before it reads or writes anything.
        var sync = await syncs.GetAsync(run.SyncId, cancellationToken)
            ?? throw new SyncNotFoundException(run.SyncId);
        var (a, b) = Sides(sync);
        return await runner.RunAsync(run.Id, sync, a, b, SyncRunOptions.For(run), progress, cancellationToken);
    }

    private (ICalendarSide A, ICalendarSide B) Sides(SyncDefinition sync) => (
        new GoogleCalendarSide(google.ForAccount(sync.A.AccountId), sync.A.CalendarId),
        new GoogleCalendarSide(google.ForAccount(sync.B.AccountId), sync.B.CalendarId));
}
