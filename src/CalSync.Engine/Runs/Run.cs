using CalSync.Engine.Sync;

namespace CalSync.Engine.Runs;

/// <summary>One run of a sync: the <c>runs</c> row, which is the truth about it (messages only point at it).</summary>
public sealed record Run
{
    public required Guid Id { get; init; }
    public required Guid SyncId { get; init; }

    /// <summary>What the run does (<see cref="RunKind"/>): sync the calendars, or remove a deleted sync's copies.</summary>
    public string Kind { get; init; } = RunKind.Sync;

    public required string Trigger { get; init; }
    public required string Status { get; init; }
    public bool FullResync { get; init; }
    public bool DryRun { get; init; }

    /// <summary>A person confirmed deletions past the mass-deletion guard.</summary>
    public bool ConfirmDeletes { get; init; }
    public int Created { get; init; }
    public int Updated { get; init; }
    public int Deleted { get; init; }
    public int Skipped { get; init; }
    public int ApiCalls { get; init; }
    public string? Error { get; init; }
    public int Attempts { get; init; }
    public string? Worker { get; init; }
    public DateTimeOffset QueuedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>The trace of what queued the run (W3C traceparent), which every message about the run continues.</summary>
    public string? TraceParent { get; init; }

    /// <summary>
    /// A push run's calendars whose channels fired (<c>a</c>, <c>b</c> or <c>ab</c>): only they need listing, the
    /// other's sync token is still good. Null for every other run (and a push run joined by one): list both.
    /// </summary>
    public string? NotifiedSides { get; init; }

    /// <summary>The calendars <see cref="NotifiedSides"/> names, or null: list both.</summary>
    public IReadOnlySet<Side>? Notified => NotifiedSides?.Select(c => c == 'a' ? Side.A : Side.B).ToHashSet();

    /// <summary>How <paramref name="notified"/> is stored in <see cref="NotifiedSides"/> (null when empty).</summary>
    public static string? SidesText(IReadOnlyCollection<Side> notified)
    {
        ArgumentNullException.ThrowIfNull(notified);
        var sides = (notified.Contains(Side.A) ? "a" : "") + (notified.Contains(Side.B) ? "b" : "");
        return sides.Length > 0 ? sides : null;
    }

    public bool IsFinished => RunStatus.IsFinished(Status);
}

/// <summary>The states of a run: <c>queued</c> → <c>running</c> → one of the finished states.</summary>
public static class RunStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string NeedsConfirmation = "needs_confirmation";

    public static bool IsFinished(string status) => status is Succeeded or Failed or NeedsConfirmation;
}

/// <summary>What a run does.</summary>
public static class RunKind
{
    /// <summary>Read both calendars, plan and write: the normal run.</summary>
    public const string Sync = "sync";

    /// <summary>Delete every copy a deleted sync made (queued when a sync is deleted with <c>removeCopies</c>).</summary>
    public const string RemoveCopies = "remove_copies";
}

/// <summary>What asked for a run.</summary>
public static class RunTrigger
{
    public const string Manual = "manual";
    public const string Schedule = "schedule";
    public const string Push = "push";
    public const string Retry = "retry";

    public static bool IsValid(string trigger) => trigger is Manual or Schedule or Push or Retry;
}

/// <summary>What a run did: counts of changes and the Google calls it spent.</summary>
public sealed record RunOutcome(int Created, int Updated, int Deleted, int Skipped, int ApiCalls, bool NeedsConfirmation = false)
{
    public static RunOutcome Nothing { get; } = new(0, 0, 0, 0, 0);

    /// <summary>The counts this outcome has beyond <paramref name="earlier"/> (an attempt's progress since its last report).</summary>
    public RunOutcome Minus(RunOutcome earlier) => new(
        Created - earlier.Created, Updated - earlier.Updated, Deleted - earlier.Deleted, Skipped - earlier.Skipped, ApiCalls - earlier.ApiCalls);
}
