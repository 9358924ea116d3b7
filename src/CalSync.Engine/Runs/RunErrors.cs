namespace CalSync.Engine.Runs;

/// <summary>A message names a run that does not exist: permanent, so the message belongs in the error queue.</summary>
public sealed class UnknownRunException(Guid runId)
    : Exception($"Run {runId} does not exist; the message cannot be processed.")
{
    public Guid RunId { get; } = runId;
}

/// <summary>Another run of the same sync holds the sync's lock: transient, so try again a little later.</summary>
public sealed class SyncBusyException(Guid syncId, Guid runId)
    : Exception($"Sync {syncId} is running elsewhere; run {runId} waits for it.")
{
    public Guid SyncId { get; } = syncId;
    public Guid RunId { get; } = runId;
}
