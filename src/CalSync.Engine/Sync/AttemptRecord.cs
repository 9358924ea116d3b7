using CalSync.Engine.Google.Accounting;
using CalSync.Engine.Runs;

namespace CalSync.Engine.Sync;

/// <summary>
/// What one attempt of a run has done, written down batch by batch: each batch's changes join the run's list,
/// its counts the attempt's, and the run row hears of it with the Google calls spent so far. An attempt that
/// stops part-way (a rate limit, a crash) has every returned batch on record, so the run's record is the sum of
/// its attempts. Two sides written at once write down their batches one after the other.
/// </summary>
public sealed class AttemptRecord(Guid runId, SyncStateStore store, ApiCallScope calls, IRunProgress? progress) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<RunChange> _changes = [];
    private int _created;
    private int _updated;
    private int _deleted;
    private int _skipped;

    /// <summary>Writes down one batch: <paramref name="changes"/> as recorded, and the writes it counts as created, updated and deleted.</summary>
    public async Task AddAsync(IReadOnlyList<RunChange> changes, int created, int updated, int deleted, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // A skip an earlier attempt recorded already is not counted twice.
            var skipped = await store.RecordChangesAsync(runId, changes, cancellationToken);
            _changes.AddRange(changes);
            _created += created;
            _updated += updated;
            _deleted += deleted;
            _skipped += skipped;
            if (progress is not null)
            {
                await progress.ReportAsync(SoFar(), cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Tells the run row about the calls made since the last batch (reads, a batch that failed), as an attempt stops.</summary>
    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        if (progress is null)
        {
            return;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await progress.ReportAsync(SoFar(), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>What this attempt did, once it is done.</summary>
    public SyncOutcome Outcome() => new(false, _created, _updated, _deleted, _skipped, calls.Calls, [.. _changes]);

    private RunOutcome SoFar() => new(_created, _updated, _deleted, _skipped, calls.Calls);

    public void Dispose() => _gate.Dispose();
}
