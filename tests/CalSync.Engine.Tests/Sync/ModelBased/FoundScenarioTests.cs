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

    [Fact]
    public async Task A_copy_renamed_two_way_so_that_its_origin_fails_the_include_words_goes_in_the_same_run()
    {
        // Seed 2zrKZIJKYpN6: copies of A's events only when they mention "timed" or "invitation"; the person renames
        // a copy on B, the name travels back, and the origin no longer passes.
        var include = CopyFilter.Default with { Include = ["timed", "invitation"], AllDay = AllDayRule.BusyOnly, NeedsAction = InvitationRule.Busy };
        await PlayAsync(SyncDirection.TwoWay, ConflictPolicy.TargetWins, privacy: false,
            new ChangeRules(Side.A, include with { OutOfOffice = BusyTypeRule.OwnType }, CopyLook.Default with { Visibility = VisibilityRule.Private, ShowAs = ShowAsRule.Free, Reminders = ReminderRule.CalendarDefault }),
            new CreateEvent(Side.A, EventKind.Timed, 18, 9), new CreateEvent(Side.A, EventKind.Recurring, 13, 14),
            new ChangeInstance(50, Cancel: true), new RunSync(Fault.RateLimited), new DeleteEvent(Side.A, 8), new DeleteEvent(Side.B, 41),
            new EditCopy(Side.B, 45), new RunSync(Fault.None));
    }

    private async Task PlayAsync(SyncDirection direction, ConflictPolicy policy, bool privacy, params ScenarioStep[] steps)
    {
        var scenario = await env.NewScenarioAsync(direction, policy, privacy);
        await new ScenarioRunner(scenario).PlayAsync(steps);
    }
}
