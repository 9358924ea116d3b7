namespace CalSync.Engine.Runs;

/// <summary>
/// The work of one run, between <c>running</c> and its outcome: the <see cref="Sync.SyncRunner"/>. It throws an
/// <see cref="IRunFailure"/> to say how a failure should end (retry later or fail for good). It returns what this
/// attempt did; what it reported to its <see cref="IRunProgress"/> on the way is part of that, not extra.
/// </summary>
/// <remarks>The processor's one seam: its tests script failures here that no real sync produces on demand (a crash, a timeout).</remarks>
public interface IRunWork
{
    Task<RunOutcome> ExecuteAsync(Run run, IRunProgress progress, CancellationToken cancellationToken);
}
