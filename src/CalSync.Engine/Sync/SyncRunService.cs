using CalSync.Engine.Google;
using CalSync.Engine.Runs;

namespace CalSync.Engine.Sync;

/// <summary>
/// The work of a run: load its sync, open both calendars with their accounts' credentials, run the engine.
/// The run processor calls this between <c>running</c> and the end state.
/// </summary>
public sealed class SyncRunService(SyncDefinitionStore syncs, GoogleCalendarClientFactory google, SyncRunner runner)
{
    public async Task<SyncOutcome> RunAsync(Run run, CancellationToken cancellationToken)
    {
        var sync = await syncs.GetAsync(run.SyncId, cancellationToken)
            ?? throw new SyncNotFoundException(run.SyncId);
        var a = new GoogleCalendarSide(google.ForAccount(sync.A.AccountId), sync.A.CalendarId);
        var b = new GoogleCalendarSide(google.ForAccount(sync.B.AccountId), sync.B.CalendarId);
        return await runner.RunAsync(run.Id, sync, a, b, new SyncRunOptions(run.FullResync, run.DryRun), cancellationToken);
    }
}
