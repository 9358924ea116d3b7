using CalSync.Engine.Sync;

namespace CalSync.Engine.Tests.Sync.ModelBased;

/// <summary>
/// Scenarios the property test once found failing, replayed as they were printed, so each stays fixed
/// whatever seed the property test draws.
/// </summary>
public sealed class FoundScenarioTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>
{
    [Fact]
    public async Task A_series_deleted_after_a_crash_that_restored_one_of_its_copied_instances_leaves_no_copy()
    {
        // Seed 19qoCYs4Ko21: the third instance's copy is deleted by hand, the run that restores it dies
        // before storing anything, then the whole series goes.
        await PlayAsync(SyncDirection.OneWay, ConflictPolicy.SourceWins, privacy: false,
            new RunSync(Fault.None), new ChangeWindow(90), new CreateEvent(Side.A, EventKind.Recurring, 10, 13),
            new RunSync(Fault.None), new DeleteCopy(Side.B, 11), new RunSync(Fault.CrashAfterWrites),
            new DeleteEvent(Side.A, 41), new ChangeInstance(1, Cancel: true), new RunSync(Fault.None));
    }

    private async Task PlayAsync(SyncDirection direction, ConflictPolicy policy, bool privacy, params ScenarioStep[] steps)
    {
        var scenario = await env.NewScenarioAsync(direction, policy, privacy);
        await new ScenarioRunner(scenario).PlayAsync(steps);
    }
}
