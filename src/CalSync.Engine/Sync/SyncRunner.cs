using CalSync.Engine.Auth;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Accounting;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Runs;
using Microsoft.Extensions.Options;

namespace CalSync.Engine.Sync;

/// <summary>What a person asked of one run: read both calendars in full, plan without writing, or go past the mass-deletion guard;
/// and for a push run, which calendars told of a change.</summary>
/// <param name="FullResync">List both calendars in full, as a first run does.</param>
/// <param name="DryRun">Plan and record, write nothing.</param>
/// <param name="ConfirmDeletes">A person confirmed deletions past the mass-deletion guard.</param>
/// <param name="Notified">A push run's calendars whose channels fired: the others need no listing. Null: list both.</param>
public sealed record RunFlags(bool FullResync = false, bool DryRun = false, bool ConfirmDeletes = false, IReadOnlySet<Side>? Notified = null)
{
    /// <summary>What a queued run asks for.</summary>
    public static RunFlags For(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new RunFlags(run.FullResync, run.DryRun, run.ConfirmDeletes, run.Notified);
    }
}

/// <summary>What a run did, for the run row and the run's change list.</summary>
public sealed record SyncOutcome(bool NeedsConfirmation, int Created, int Updated, int Deleted, int Skipped, int ApiCalls, IReadOnlyList<RunChange> Changes);

/// <summary>
/// One run of one sync: read both sides, plan, guard, execute, then store where reading left off. The
/// reading state is stored only after every write went through, so a run that stops early re-reads the
/// same changes next time; links committed before the stop make that re-run converge without duplicates.
/// </summary>
public sealed class SyncRunner(
    SyncStateStore store, ApiCallAccounting accounting, TimeProvider time, IOptions<SyncEngineOptions> options,
    SyncStore syncs, GoogleCalendarClientFactory google, CopyRemover remover) : IRunWork
{
    /// <summary>
    /// The work of a run, as the run processor calls it holding the sync's lock: load the sync, open both calendars
    /// with their accounts' credentials and sync them, or, for a <see cref="RunKind.RemoveCopies"/> run, remove the
    /// deleted sync's copies. Google's errors already say whether they are worth a retry (<see cref="IRunFailure"/>);
    /// the few others that can only end the run are classified here.
    /// </summary>
    public async Task<RunOutcome> ExecuteAsync(Run run, IRunProgress progress, CancellationToken cancellationToken)
    {
        SyncOutcome outcome;
        try
        {
            outcome = run.Kind == RunKind.RemoveCopies
                ? await RemoveCopiesAsync(run, progress, cancellationToken)
                : await SyncAsync(run, progress, cancellationToken);
        }
        catch (TokenVaultException ex)
        {
            throw new RunWorkException("The account's stored credentials cannot be read (token vault key missing?); reconnect the account.", isRetryable: false, innerException: ex);
        }
        return new RunOutcome(outcome.Created, outcome.Updated, outcome.Deleted, outcome.Skipped, outcome.ApiCalls, outcome.NeedsConfirmation);
    }

    private async Task<SyncOutcome> SyncAsync(Run run, IRunProgress progress, CancellationToken cancellationToken)
    {
        // A deleted sync is not loaded: its run fails before it reads or writes anything.
        var sync = await syncs.GetDefinitionAsync(run.SyncId, cancellationToken)
            ?? throw new RunWorkException($"Sync {run.SyncId} was deleted; the run changed nothing.", isRetryable: false);
        var (a, b) = Sides(sync);
        return await RunAsync(run.Id, sync, a, b, RunFlags.For(run), progress, cancellationToken);
    }

    private async Task<SyncOutcome> RemoveCopiesAsync(Run run, IRunProgress progress, CancellationToken cancellationToken)
    {
        var deleted = await syncs.GetDeletedDefinitionAsync(run.SyncId, cancellationToken)
            ?? throw new RunWorkException($"Sync {run.SyncId} is not deleted; only a deleted sync's copies are removed.", isRetryable: false);
        var (a, b) = Sides(deleted);
        return await remover.RemoveAsync(run.Id, deleted, a, b, progress, cancellationToken);
    }

    private (ICalendarSide A, ICalendarSide B) Sides(SyncDefinition sync) => (
        new GoogleCalendarSide(google.ForAccount(sync.A.AccountId), sync.A.CalendarId),
        new GoogleCalendarSide(google.ForAccount(sync.B.AccountId), sync.B.CalendarId));

    public Task<SyncOutcome> RunAsync(Guid runId, SyncDefinition sync, ICalendarSide a, ICalendarSide b, RunFlags run, CancellationToken cancellationToken) =>
        RunAsync(runId, sync, a, b, run, progress: null, cancellationToken);

    /// <summary>One attempt of a run; <paramref name="progress"/> hears what it has done after each batch, and when it stops early.</summary>
    public async Task<SyncOutcome> RunAsync(
        Guid runId, SyncDefinition sync, ICalendarSide a, ICalendarSide b, RunFlags run, IRunProgress? progress, CancellationToken cancellationToken)
    {
        using var calls = accounting.BeginScope();
        using var record = new AttemptRecord(runId, store, calls, progress);
        try
        {
            return await RunAsync(runId, sync, a, b, run, record, calls, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The calls and writes of a stopped attempt stay counted; a retry adds its own.
            await record.ReportAsync(CancellationToken.None);
            throw;
        }
    }

    private async Task<SyncOutcome> RunAsync(
        Guid runId, SyncDefinition sync, ICalendarSide a, ICalendarSide b, RunFlags run, AttemptRecord record, ApiCallScope calls, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var window = SyncWindow.For(sync, now);

        var (stateA, stateB) = (await store.GetSideAsync(sync.Id, Side.A, cancellationToken), await store.GetSideAsync(sync.Id, Side.B, cancellationToken));
        var settings = AppliedSettings.Compare(sync, window, stateA, stateB);
        // Each side is read with its own account's budget, so both at once.
        var (readingA, readingB) = (
            ReadAsync(Side.A, a, stateA, window, settings, run, now, cancellationToken),
            ReadAsync(Side.B, b, stateB, window, settings, run, now, cancellationToken));
        await Task.WhenAll(readingA, readingB);
        var (readA, readB) = (await readingA, await readingB);
        var links = await store.GetLinksAsync(sync.Id, window.Start, cancellationToken);
        var input = new PlanInput
        {
            Sync = sync, Window = window, SeenA = readA.Events, SeenB = readB.Events, Links = links,
            Restyled = settings.Restyled, Narrowed = settings.Narrowed,
        };
        input = await WithRequiredReadsAsync(input, a, b, cancellationToken);
        // Remembered skips matter only for events read in this run: a run that read nothing (most push echoes)
        // spares the round trip. Skips of origins that ended before the window go in the same statement; a run that
        // read nothing remembered nothing new either, so the table still cannot grow past what the last reading run left.
        if (input.SeenA.Count + input.SeenB.Count > 0)
        {
            input = input with { Skipped = await store.GetSkippedAsync(sync.Id, window.Start, cancellationToken) };
        }
        var plan = SyncPlanner.Plan(input);

        // Mass-deletion guard: an empty or broken listing must never empty a calendar.
        if (plan.Deletes > Math.Max(options.Value.MassDeletionMinimum, links.Count / 2) && !run.ConfirmDeletes)
        {
            var planned = plan.Changes;
            await store.RecordChangesAsync(runId, planned, cancellationToken);
            return new SyncOutcome(true, 0, 0, 0, 0, calls.Calls, planned);
        }
        if (run.DryRun)
        {
            var planned = plan.Changes;
            await store.RecordChangesAsync(runId, planned, cancellationToken);
            return Count(planned, calls.Calls);
        }

        using var executor = new PlanExecutor(input, a, b, store, record);
        await executor.ExecuteAsync(plan.Actions, cancellationToken);
        await store.ForgetSkipsAsync(sync.Id, SyncPlanner.StaleSkips(input), cancellationToken);
        if (!readA.Skipped)
        {
            await store.SaveSideAsync(sync.Id, Side.A, readA.Next with { CopiesStyle = settings.StyleOn(Side.A) }, cancellationToken);
        }
        if (!readB.Skipped)
        {
            await store.SaveSideAsync(sync.Id, Side.B, readB.Next with { CopiesStyle = settings.StyleOn(Side.B) }, cancellationToken);
        }
        return record.Outcome();
    }

    private async Task<SideRead> ReadAsync(
        Side side, ICalendarSide calendar, SideReadState state, SyncWindow window, AppliedSettings settings, RunFlags run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A full listing also when the settings changed in a way only a full listing can apply: copies to
        // re-render (their origins live on this side), a window reaching further back, or a window that shrank.
        var full = run.FullResync || state.LastFullListing is not { } last || now - last >= options.Value.FullListingInterval
            || settings.Restyled.Contains(side.Other()) || AppliedSettings.Widened(state, window) || settings.Narrowed;
        // A push run needs only the calendars that told of a change: reading nothing here is reading no changes,
        // and the stored state stays, so whatever did change here is read by the next run that lists this side.
        // A side owed a full listing, a window slice or a settings change is read as usual.
        if (run.Notified is { } notified && !notified.Contains(side) && !full && settings.Restyled.Count == 0
            && state is { SyncToken: not null, WindowEnd: { } listedTo } && listedTo >= window.End)
        {
            return new SideRead(new Dictionary<string, GoogleEvent>(StringComparer.Ordinal), Full: false, state) { Skipped = true };
        }
        // After the window shrank, list the window it used to cover, so that origins now beyond it are seen.
        var listing = settings.Narrowed && state.WindowEnd is { } coveredEnd && coveredEnd > window.End ? window with { End = coveredEnd } : null;
        return await SideReader.ReadAsync(calendar, state, window, full, now, cancellationToken, listing);
    }

    /// <summary>Fetches the origins the planner asks for; one Google knows nothing of counts as deleted.</summary>
    private static async Task<PlanInput> WithRequiredReadsAsync(PlanInput input, ICalendarSide a, ICalendarSide b, CancellationToken cancellationToken)
    {
        var reads = SyncPlanner.RequiredReads(input);
        if (reads.Count == 0)
        {
            return input;
        }
        var (seenA, seenB) = (new Dictionary<string, GoogleEvent>(input.SeenA), new Dictionary<string, GoogleEvent>(input.SeenB));
        foreach (var (side, id) in reads)
        {
            var e = await (side == Side.A ? a : b).GetAsync(id, cancellationToken) ?? new GoogleEvent { Id = id, Status = EventStatus.Cancelled };
            (side == Side.A ? seenA : seenB)[id] = e;
        }
        return input with { SeenA = seenA, SeenB = seenB };
    }

    private static SyncOutcome Count(IReadOnlyList<RunChange> changes, int calls) => new(
        false,
        changes.Count(c => c.Action == RunChange.Create),
        changes.Count(c => c.Action is RunChange.Update or RunChange.Adopt),
        changes.Count(c => c.Action == RunChange.Delete),
        changes.Count(c => c.Action == RunChange.Skip),
        calls,
        changes);
}
