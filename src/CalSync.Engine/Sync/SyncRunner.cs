using CalSync.Engine.Google.Accounting;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Runs;
using Microsoft.Extensions.Options;

namespace CalSync.Engine.Sync;

/// <summary>How a run is asked to behave.</summary>
/// <param name="FullResync">List both calendars in full, as a first run does.</param>
/// <param name="DryRun">Plan and record, write nothing.</param>
/// <param name="ConfirmDeletes">A person confirmed deletions past the mass-deletion guard.</param>
/// <param name="Notified">A push run's calendars whose channels fired: the others need no listing. Null: list both.</param>
public sealed record SyncRunOptions(bool FullResync = false, bool DryRun = false, bool ConfirmDeletes = false, IReadOnlySet<Side>? Notified = null)
{
    /// <summary>What a queued run asks for.</summary>
    public static SyncRunOptions For(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        IReadOnlySet<Side>? notified = run.NotifiedSides is { } sides
            ? sides.Select(c => c == 'a' ? Side.A : Side.B).ToHashSet()
            : null;
        return new SyncRunOptions(run.FullResync, run.DryRun, run.ConfirmDeletes, notified);
    }
}

/// <summary>What a run did, for the run row and the run's change list.</summary>
public sealed record SyncOutcome(bool NeedsConfirmation, int Created, int Updated, int Deleted, int Skipped, int ApiCalls, IReadOnlyList<RunChange> Changes);

/// <summary>
/// One run of one sync: read both sides, plan, guard, execute, then store where reading left off. The
/// reading state is stored only after every write went through, so a run that stops early re-reads the
/// same changes next time; links committed before the stop make that re-run converge without duplicates.
/// </summary>
public sealed class SyncRunner(SyncStateStore store, ApiCallAccounting accounting, TimeProvider time, IOptions<SyncEngineOptions> options)
{
    public Task<SyncOutcome> RunAsync(Guid runId, SyncDefinition sync, ICalendarSide a, ICalendarSide b, SyncRunOptions run, CancellationToken cancellationToken) =>
        RunAsync(runId, sync, a, b, run, progress: null, cancellationToken);

    /// <summary>One attempt of a run; <paramref name="progress"/> hears what it has done after each batch, and when it stops early.</summary>
    public async Task<SyncOutcome> RunAsync(
        Guid runId, SyncDefinition sync, ICalendarSide a, ICalendarSide b, SyncRunOptions run, IRunProgress? progress, CancellationToken cancellationToken)
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
        Guid runId, SyncDefinition sync, ICalendarSide a, ICalendarSide b, SyncRunOptions run, AttemptRecord record, ApiCallScope calls, CancellationToken cancellationToken)
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
        var plan = SyncPlanner.Plan(input);

        // Mass-deletion guard: an empty or broken listing must never empty a calendar.
        if (plan.Deletes > Math.Max(options.Value.MassDeletionMinimum, links.Count / 2) && !run.ConfirmDeletes)
        {
            var planned = plan.Actions.Select(action => action.Change).ToList();
            await store.RecordChangesAsync(runId, planned, cancellationToken);
            return new SyncOutcome(true, 0, 0, 0, 0, calls.Calls, planned);
        }
        if (run.DryRun)
        {
            var planned = plan.Actions.Select(action => action.Change).ToList();
            await store.RecordChangesAsync(runId, planned, cancellationToken);
            return Count(planned, calls.Calls);
        }

        using var executor = new PlanExecutor(input, a, b, store, record);
        await executor.ExecuteAsync(plan.Actions, cancellationToken);
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
        Side side, ICalendarSide calendar, SideReadState state, SyncWindow window, AppliedSettings settings, SyncRunOptions run, DateTimeOffset now, CancellationToken cancellationToken)
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
