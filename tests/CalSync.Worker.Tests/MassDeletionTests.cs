using System.Text.Json;
using CalSync.Contracts;
using CalSync.Engine.Runs;
using CalSync.Testing;

namespace CalSync.Worker.Tests;

/// <summary>The mass-deletion guard end to end: a run stops before deleting, and a confirmed run goes ahead.</summary>
public sealed class MassDeletionTests(WorkerFixture fixture) : IClassFixture<WorkerFixture>
{
    private RunStore Runs => new(fixture.Database.DataSource, TimeProvider.System);

    [Fact]
    public async Task A_run_that_would_delete_most_copies_waits_for_confirmation_and_a_confirmed_run_deletes_them()
    {
        var sync = await fixture.CreateSandboxSyncAsync();
        var start = TimeProvider.System.GetUtcNow().AddDays(3);
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var created = await fixture.Google.CallAsApiAsync(sync.SourceEmail, HttpMethod.Post, "calendar/v3/calendars/primary/events",
                JsonSerializer.Serialize(new { summary = $"Event {i}", start = new { dateTime = start.AddHours(i) }, end = new { dateTime = start.AddHours(i + 1) } }));
            ids.Add(JsonDocument.Parse(created).RootElement.GetProperty("id").GetString()!);
        }
        var first = await RunAsync(sync.SyncId, confirmDeletes: false);
        Assert.Equal((RunStatus.Succeeded, 12), (first.Status, first.Created));
        foreach (var id in ids)
        {
            await fixture.Google.CallAsApiAsync(sync.SourceEmail, HttpMethod.Delete, $"calendar/v3/calendars/primary/events/{id}");
        }

        var stopped = await RunAsync(sync.SyncId, confirmDeletes: false);

        Assert.Equal((RunStatus.NeedsConfirmation, 0), (stopped.Status, stopped.Deleted));
        Assert.Contains("confirmDeletes", stopped.Error, StringComparison.Ordinal);
        Assert.Equal(12, await CopiesAsync(sync.TargetEmail));

        var confirmed = await RunAsync(sync.SyncId, confirmDeletes: true);

        Assert.Equal((RunStatus.Succeeded, 12), (confirmed.Status, confirmed.Deleted));
        Assert.Equal(0, await CopiesAsync(sync.TargetEmail));
    }

    private async Task<Run> RunAsync(Guid syncId, bool confirmDeletes)
    {
        var (run, _) = await Runs.EnqueueAsync(syncId, RunTrigger.Manual, fullResync: false, dryRun: false, confirmDeletes, CancellationToken.None);
        await fixture.TestBus.Publish(new SyncRequested(run.Id, run.SyncId, run.Trigger, run.QueuedAt, run.FullResync, run.DryRun));
        return (await Eventually.ReachesAsync(() => Runs.GetAsync(run.Id, CancellationToken.None), r => r!.IsFinished, "the run to finish"))!;
    }

    private async Task<int> CopiesAsync(string email)
    {
        var listing = await fixture.Google.CallAsApiAsync(email, HttpMethod.Get, "calendar/v3/calendars/primary/events?maxResults=2500");
        return JsonDocument.Parse(listing).RootElement.GetProperty("items").GetArrayLength();
    }
}
