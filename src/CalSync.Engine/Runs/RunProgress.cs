namespace CalSync.Engine.Runs;

/// <summary>
/// Where one attempt of a run tells what it has done so far, as it goes (after each batch of writes, and when
/// it stops early): the run row takes it in at once, so a live view sees the counts rise, and an attempt that
/// stops on a rate limit, or dies, keeps its work counted. Each report is the attempt's total so far.
/// </summary>
public interface IRunProgress
{
    Task ReportAsync(RunOutcome soFar, CancellationToken cancellationToken);
}

/// <summary>
/// The progress of one attempt, added to its run row as the difference to the last report: the row holds the
/// sum of every attempt, and the attempt's own outcome, once it ends, adds only what was not reported yet.
/// </summary>
public sealed class AttemptProgress(RunStore runs, Guid runId) : IRunProgress
{
    private RunOutcome _reported = RunOutcome.Nothing;

    /// <summary>Reports come one at a time (the work awaits each), so each sees the one before it.</summary>
    public async Task ReportAsync(RunOutcome soFar, CancellationToken cancellationToken)
    {
        var added = soFar.Minus(_reported);
        if (added != RunOutcome.Nothing)
        {
            await runs.AddProgressAsync(runId, added, cancellationToken);
            _reported = soFar;
        }
    }

    /// <summary>What of the attempt's final outcome the run row does not hold yet.</summary>
    public RunOutcome Unreported(RunOutcome outcome) => outcome.Minus(_reported) with { NeedsConfirmation = outcome.NeedsConfirmation };
}
