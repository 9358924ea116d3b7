using Microsoft.Extensions.Options;

namespace CalSync.Engine.Runs;

/// <summary>
/// The work of one run, between <c>running</c> and its outcome: the sync engine plugs in here. It throws
/// an <see cref="IRunFailure"/> to say how a failure should end (retry later or fail for good). It returns what
/// this attempt did; what it reported to its <see cref="IRunProgress"/> on the way is part of that, not extra.
/// </summary>
public interface IRunWork
{
    Task<RunOutcome> ExecuteAsync(Run run, IRunProgress progress, CancellationToken cancellationToken);
}

/// <summary>
/// Stands in until the sync engine lands: nothing to do, so nothing changes. Waits for
/// <see cref="RunOptions.SimulatedWorkDelay"/> first, which failure drills use to land kills mid-run.
/// </summary>
public sealed class EmptyRunWork(IOptions<RunOptions> options, TimeProvider time) : IRunWork
{
    public async Task<RunOutcome> ExecuteAsync(Run run, IRunProgress progress, CancellationToken cancellationToken)
    {
        var delay = options.Value.SimulatedWorkDelay;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        return RunOutcome.Nothing;
    }
}
