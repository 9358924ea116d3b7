using CalSync.Engine.Runs;
using CalSync.Engine.Sync;
using CalSync.Testing;

namespace CalSync.Engine.Tests.Push;

/// <summary>
/// A push run remembers which of its sync's calendars were notified, so it can list just those; coalescing
/// unions them, and any other trigger joining it (or joined by it) makes the run list both calendars.
/// </summary>
public sealed class PushRunQueueTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private RunStore Store => new(database.DataSource, TimeProvider.System);

    [Fact]
    public async Task A_push_run_remembers_the_calendar_whose_channel_fired()
    {
        var syncId = await TestData.CreateSyncAsync(database.DataSource);

        var (run, created) = await Store.EnqueuePushAsync(syncId, [Side.B], CancellationToken.None);

        Assert.True(created);
        Assert.Equal(RunTrigger.Push, run.Trigger);
        Assert.Equal("b", run.NotifiedSides);
        Assert.Equal("b", (await Store.GetAsync(run.Id, CancellationToken.None))!.NotifiedSides);
    }

    [Fact]
    public async Task Pushes_joining_a_waiting_push_run_add_their_calendars()
    {
        var syncId = await TestData.CreateSyncAsync(database.DataSource);
        var (first, _) = await Store.EnqueuePushAsync(syncId, [Side.A], CancellationToken.None);

        var (second, created) = await Store.EnqueuePushAsync(syncId, [Side.B], CancellationToken.None);
        var (third, _) = await Store.EnqueuePushAsync(syncId, [Side.A], CancellationToken.None);

        Assert.False(created);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal("ab", third.NotifiedSides);
        Assert.Equal("ab", (await Store.GetAsync(first.Id, CancellationToken.None))!.NotifiedSides);
    }

    [Theory]
    [InlineData(RunTrigger.Manual)]
    [InlineData(RunTrigger.Schedule)]
    public async Task Another_trigger_joining_a_waiting_push_run_makes_it_list_both_calendars(string trigger)
    {
        var syncId = await TestData.CreateSyncAsync(database.DataSource);
        var (push, _) = await Store.EnqueuePushAsync(syncId, [Side.A], CancellationToken.None);

        var (joined, created) = await Store.EnqueueAsync(syncId, trigger, fullResync: false, dryRun: false, CancellationToken.None);

        Assert.False(created);
        Assert.Equal(push.Id, joined.Id);
        Assert.Null(joined.NotifiedSides);
        Assert.Null((await Store.GetAsync(push.Id, CancellationToken.None))!.NotifiedSides);
    }

    [Fact]
    public async Task A_push_joining_a_waiting_scheduled_run_leaves_it_listing_both_calendars()
    {
        var syncId = await TestData.CreateSyncAsync(database.DataSource);
        var (scheduled, _) = await Store.EnqueueAsync(syncId, RunTrigger.Schedule, fullResync: false, dryRun: false, CancellationToken.None);

        var (joined, created) = await Store.EnqueuePushAsync(syncId, [Side.A], CancellationToken.None);

        Assert.False(created);
        Assert.Equal(scheduled.Id, joined.Id);
        Assert.Null(joined.NotifiedSides);
    }
}
