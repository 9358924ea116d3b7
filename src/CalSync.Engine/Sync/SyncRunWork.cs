using CalSync.Engine.Auth;
using CalSync.Engine.Runs;
using Microsoft.Extensions.Options;

namespace CalSync.Engine.Sync;

/// <summary>
/// The sync engine as a run's work. Google's errors already say whether they are worth a retry
/// (<see cref="IRunFailure"/>); the few others that can only end the run are classified here.
/// </summary>
public sealed class SyncRunWork(SyncRunService service, IOptions<RunOptions> options, TimeProvider time) : IRunWork
{
    public async Task<RunOutcome> ExecuteAsync(Run run, IRunProgress progress, CancellationToken cancellationToken)
    {
        // Failure drills stretch runs so that kills land mid-run; zero (no delay) everywhere else.
        if (options.Value.SimulatedWorkDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.Value.SimulatedWorkDelay, time, cancellationToken);
        }
        SyncOutcome outcome;
        try
        {
            outcome = await service.RunAsync(run, progress, cancellationToken);
        }
        catch (TokenVaultException ex)
        {
            throw new RunWorkException("The account's stored credentials cannot be read (token vault key missing?); reconnect the account.", isRetryable: false, innerException: ex);
        }
        catch (SyncNotFoundException ex)
        {
            throw new RunWorkException(ex.Message, isRetryable: false, innerException: ex);
        }
        return new RunOutcome(outcome.Created, outcome.Updated, outcome.Deleted, outcome.Skipped, outcome.ApiCalls, outcome.NeedsConfirmation);
    }
}

/// <summary>The run's sync was deleted before the run started: the run ends without reading or writing anything.</summary>
public sealed class SyncNotFoundException(Guid syncId) : Exception($"Sync {syncId} was deleted; the run changed nothing.");
