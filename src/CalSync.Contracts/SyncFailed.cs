namespace CalSync.Contracts;

/// <summary>Published by a worker when a run ends <c>failed</c>; for dashboards, alerting and integrations.</summary>
public sealed record SyncFailed(
    Guid RunId,
    Guid SyncId,
    string Error,
    bool Retryable,
    DateTimeOffset FailedAt);
