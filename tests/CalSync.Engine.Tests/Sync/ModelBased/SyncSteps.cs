using CalSync.Engine.Sync;
using CsCheck;

namespace CalSync.Engine.Tests.Sync.ModelBased;

/// <summary>What kind of event a person creates.</summary>
public enum EventKind
{
    Timed,
    AllDay,
    Recurring,
}

/// <summary>A fault injected into one sync.</summary>
public enum Fault
{
    None,
    /// <summary>The process dies after Google accepted the writes, before any link is stored.</summary>
    CrashAfterWrites,
    /// <summary>Google expires the source's sync token (410 on the next incremental listing).</summary>
    ExpireToken,
    /// <summary>Someone edits a target event between the run's read and its write (412 on If-Match).</summary>
    Race,
    /// <summary>Google keeps answering 429 until the client's retry budget runs out: the run fails, retryably.</summary>
    RateLimited,
}

/// <summary>One step of a generated scenario: a person's edit, or a sync.</summary>
public abstract record ScenarioStep;

public sealed record CreateEvent(Side Side, EventKind Kind, int Day, int Hour) : ScenarioStep;

public sealed record EditEvent(Side Side, int Pick, int DayShift) : ScenarioStep;

public sealed record DeleteEvent(Side Side, int Pick) : ScenarioStep;

public sealed record EditCopy(Side Side, int Pick) : ScenarioStep;

public sealed record DeleteCopy(Side Side, int Pick) : ScenarioStep;

public sealed record ChangeInstance(int Pick, bool Cancel) : ScenarioStep;

public sealed record RunSync(Fault Fault) : ScenarioStep;

/// <summary>A whole scenario: a sync's shape and the steps, always ending with a clean sync.</summary>
public sealed record GeneratedScenario(SyncDirection Direction, ConflictPolicy Policy, bool Privacy, IReadOnlyList<ScenarioStep> Steps)
{
    public override string ToString() => $"{Direction} {Policy} privacy={Privacy}: {string.Join(", ", Steps)}";
}

public static class ScenarioGen
{
    private static readonly Gen<Side> Sides = Gen.Enum<Side>();

    private static readonly Gen<ScenarioStep> Steps = Gen.Frequency(
        (6, Gen.Select(Sides, Gen.Enum<EventKind>(), Gen.Int[2, 20], Gen.Int[7, 18], (s, k, d, h) => (ScenarioStep)new CreateEvent(s, k, d, h))),
        (3, Gen.Select(Sides, Gen.Int[0, 50], Gen.Int[0, 3], (s, p, d) => (ScenarioStep)new EditEvent(s, p, d))),
        (2, Gen.Select(Sides, Gen.Int[0, 50], (s, p) => (ScenarioStep)new DeleteEvent(s, p))),
        (2, Gen.Select(Sides, Gen.Int[0, 50], (s, p) => (ScenarioStep)new EditCopy(s, p))),
        (2, Gen.Select(Sides, Gen.Int[0, 50], (s, p) => (ScenarioStep)new DeleteCopy(s, p))),
        (2, Gen.Select(Gen.Int[0, 50], Gen.Bool, (p, c) => (ScenarioStep)new ChangeInstance(p, c))),
        (4, Gen.Frequency(
            (5, Gen.Const(Fault.None)),
            (1, Gen.Const(Fault.CrashAfterWrites)),
            (1, Gen.Const(Fault.ExpireToken)),
            (1, Gen.Const(Fault.Race)),
            (1, Gen.Const(Fault.RateLimited))).Select(f => (ScenarioStep)new RunSync(f))));

    public static readonly Gen<GeneratedScenario> Scenarios = Gen.Select(
        Gen.Enum<SyncDirection>(),
        Gen.Enum<ConflictPolicy>(),
        Gen.Bool,
        Steps.List[1, 8],
        (direction, policy, privacy, steps) => new GeneratedScenario(direction, policy, privacy, [.. steps, new RunSync(Fault.None)]));
}
