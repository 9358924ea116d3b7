namespace CalSync.Engine.Runs;

/// <summary>A message names a run that does not exist: permanent, so the message belongs in the error queue.</summary>
public sealed class UnknownRunException(Guid runId)
    : Exception($"Run {runId} does not exist; the message cannot be processed.")
{
    public Guid RunId { get; } = runId;
}
