namespace CalSync.Contracts;

/// <summary>Published by a worker when a run ends <c>succeeded</c> or <c>needs_confirmation</c>; for dashboards and integrations.</summary>
public sealed record SyncCompleted(
    Guid RunId,
    Guid SyncId,
    int Created,
    int Updated,
    int Deleted,
    int ApiCalls,
    string Status,
    bool DryRun,
    DateTimeOffset FinishedAt);
