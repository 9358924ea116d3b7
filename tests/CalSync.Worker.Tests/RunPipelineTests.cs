using CalSync.Contracts;
using CalSync.Engine.Runs;
using CalSync.Testing;
using Dapper;

namespace CalSync.Worker.Tests;

/// <summary>The run pipeline through the real broker: SyncRequested in, run row through its states to its outcome.</summary>
public sealed class RunPipelineTests(WorkerFixture fixture) : IClassFixture<WorkerFixture>
{
    private RunStore Runs => new(fixture.Database.DataSource, TimeProvider.System);

    private async Task<Run> QueueRunAsync()
    {
        var syncId = await fixture.CreateSyncAsync();
        return (await Runs.EnqueueAsync(syncId, RunTrigger.Manual, false, false, CancellationToken.None)).Run;
    }

    private static SyncRequested RequestFor(Run run) =>
        new(run.Id, run.SyncId, run.Trigger, run.QueuedAt, run.FullResync, run.DryRun);

    [Fact]
    public async Task A_published_request_is_consumed_and_its_run_succeeds()
    {
        var run = await QueueRunAsync();

        await fixture.TestBus.Publish(RequestFor(run));

        var finished = await Eventually.ReachesAsync(() => Runs.GetAsync(run.Id, CancellationToken.None), r => r!.IsFinished, "the run to finish");
        Assert.NotNull(finished!.Worker);
        // Two empty calendars: the first run lists each once and writes nothing.
        Assert.Equal((RunStatus.Succeeded, 2, 0), (finished.Status, finished.ApiCalls, finished.Created));
    }

    [Fact]
    public async Task A_run_copies_the_source_calendar_to_the_target_and_records_its_changes()
    {
        var sync = await fixture.CreateSandboxSyncAsync();
        var start = TimeProvider.System.GetUtcNow().AddDays(2);
        await fixture.Google.CallAsApiAsync(sync.SourceEmail, HttpMethod.Post, "calendar/v3/calendars/primary/events",
            System.Text.Json.JsonSerializer.Serialize(new { summary = "Dentist", start = new { dateTime = start }, end = new { dateTime = start.AddHours(1) } }));
        var run = (await Runs.EnqueueAsync(sync.SyncId, RunTrigger.Manual, false, false, CancellationToken.None)).Run;

        await fixture.TestBus.Publish(RequestFor(run));

        var finished = await Eventually.ReachesAsync(() => Runs.GetAsync(run.Id, CancellationToken.None), r => r!.IsFinished, "the run to finish");
        Assert.Equal((RunStatus.Succeeded, 1), (finished!.Status, finished.Created));
        var target = await fixture.Google.CallAsApiAsync(sync.TargetEmail, HttpMethod.Get, "calendar/v3/calendars/primary/events");
        Assert.Contains("Dentist", target, StringComparison.Ordinal);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Assert.Equal("create", await connection.ExecuteScalarAsync<string>("select action from run_changes where run_id = @Id", new { run.Id }));
    }

    [Fact]
    public async Task The_same_message_delivered_twice_changes_nothing()
    {
        var run = await QueueRunAsync();
        var request = RequestFor(run);

        await fixture.TestBus.Publish(request);
        var finished = await Eventually.ReachesAsync(() => Runs.GetAsync(run.Id, CancellationToken.None), r => r!.IsFinished, "the run to finish");
        await fixture.TestBus.Publish(request);
        await Eventually.ReachesAsync(() => Task.FromResult(fixture.Consumed.For(run.Id)), n => n == 2, "the second delivery to be consumed");

        Assert.Equal(finished, await Runs.GetAsync(run.Id, CancellationToken.None));
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("select count(*) from runs where sync_id = @SyncId", new { run.SyncId }));
    }

    [Fact]
    public async Task A_message_for_an_unknown_run_ends_in_the_error_queue_without_retrying()
    {
        var unknown = new SyncRequested(Guid.NewGuid(), Guid.NewGuid(), RunTrigger.Manual, DateTimeOffset.UnixEpoch, false, false);

        await fixture.TestBus.Publish(unknown);

        await Eventually.ReachesAsync(() => Task.FromResult(fixture.Errored.Any(m => m.RunId == unknown.RunId)), found => found, "the message in sync-requested_error");
        Assert.Equal(1, fixture.Consumed.For(unknown.RunId));
    }
}
