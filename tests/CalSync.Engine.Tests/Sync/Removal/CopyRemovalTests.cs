using CalSync.Engine.Google.Models;
using CalSync.Engine.Runs;
using CalSync.Engine.Sync;

namespace CalSync.Engine.Tests.Sync.Removal;

/// <summary>Deleting a sync with removeCopies=true, end to end: the removal run executed as a worker executes it, against the emulator.</summary>
public sealed class CopyRemovalTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>
{
    private static readonly DateTimeOffset Tomorrow = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(9);
    private static readonly int[] Outage = [503];
    private readonly RemovalHarness _h = new(env);

    [Fact]
    public async Task OneWay_removal_deletes_every_copy_of_the_sync_and_nothing_else()
    {
        var s = await env.NewScenarioAsync();
        for (var i = 0; i < 3; i++)
        {
            await Scenario.AddAsync(s.Source, RemovalHarness.Timed($"Origin {i}", Tomorrow.AddHours(i)));
        }
        await Scenario.AddAsync(s.Target, RemovalHarness.Timed("Dentist", Tomorrow.AddHours(5)));
        var sibling = await _h.AddSiblingSyncAsync(s);
        await s.RunAsync();
        await (s with { Sync = sibling }).RunAsync();
        var copies = await RemovalHarness.CopiesOfAsync(s.Target, s.Sync.Id);
        Assert.Equal(3, copies.Count);
        Assert.Equal(3, (await RemovalHarness.CopiesOfAsync(s.Target, sibling.Id)).Count);
        await _h.ForgetLinkAsync(s.Sync.Id, copies[0]);
        // Carries this sync's marker, but the sync never wrote it (a person duplicated a copy, say).
        var impostor = await Scenario.AddAsync(s.Target, RemovalHarness.Timed("Duplicated copy", Tomorrow.AddHours(7))
            with { ExtendedProperties = new CopyMarker(s.Sync.Id, copies[1]).ToProperties() });
        var (sourceBefore, targetBefore) = (await RemovalHarness.SnapshotAsync(s.Source), await RemovalHarness.SnapshotAsync(s.Target));
        await env.ResetStatsAsync();

        var removal = (await _h.DeleteAsync(s, removeCopies: true)).RemovalRun;
        Assert.NotNull(removal);
        Assert.Equal((RunKind.RemoveCopies, RunTrigger.Manual, RunStatus.Queued, false), (removal.Kind, removal.Trigger, removal.Status, removal.DryRun));
        var result = await _h.ProcessAsync(removal);
        var (sourceCalls, targetCalls) = (await env.CallsAsync(s.Source.Email), await env.CallsAsync(s.Target.Email));

        Assert.Equal((ProcessResultKind.Finished, RunStatus.Succeeded), (result.Kind, result.Run.Status));
        // One listing of the target (the only side holding copies of a one-way sync) and one delete per copy.
        Assert.Equal((3, 1, 1 + 3), (result.Run.Deleted, result.Run.Skipped, result.Run.ApiCalls));
        foreach (var copy in copies)
        {
            Assert.Equal(EventStatus.Cancelled, await RemovalHarness.StatusOfAsync(s.Target, copy));
        }
        Assert.Equal(Sorted(sourceBefore), Sorted(await RemovalHarness.SnapshotAsync(s.Source)));
        var targetAfter = await RemovalHarness.SnapshotAsync(s.Target);
        Assert.Equal(Sorted(targetBefore.Where(e => !copies.Contains(e.Key))), Sorted(targetAfter.Where(e => !copies.Contains(e.Key))));
        Assert.Equal(EventStatus.Confirmed, targetAfter[impostor.Id!].Status);
        Assert.Equal(0, await _h.LinkCountAsync(s.Sync.Id));
        Assert.Equal(3, await _h.LinkCountAsync(sibling.Id));
        var changes = await _h.ChangesAsync(removal.Id);
        var deletions = changes.Where(c => c.Action == RunChange.Delete).ToList();
        Assert.Equal(copies.Order(), deletions.Select(c => c.CopyEventId!).Order());
        Assert.All(deletions, c => Assert.Equal(("B", CopyRemover.RemovedReason), (c.Side, c.Reason)));
        Assert.Equal(impostor.Id, Assert.Single(changes, c => c.Action == RunChange.Skip).CopyEventId);
        Assert.Empty(sourceCalls);
        Assert.Equal((1, 3), (targetCalls.GetValueOrDefault("calendar.events.list"), targetCalls.GetValueOrDefault("calendar.events.delete")));
    }

    [Fact]
    public async Task TwoWay_removal_deletes_the_copies_on_both_sides_and_keeps_every_origin()
    {
        var s = await env.NewScenarioAsync(SyncDirection.TwoWay);
        await Scenario.AddAsync(s.Source, RemovalHarness.Timed("A1", Tomorrow));
        await Scenario.AddAsync(s.Source, RemovalHarness.Timed("A2", Tomorrow.AddHours(1)));
        await Scenario.AddAsync(s.Target, RemovalHarness.Timed("B1", Tomorrow.AddHours(2)));
        await Scenario.AddAsync(s.Target, RemovalHarness.Timed("B2", Tomorrow.AddHours(3)));
        await s.RunAsync();
        var (copiesOnA, copiesOnB) = (await RemovalHarness.CopiesOfAsync(s.Source, s.Sync.Id), await RemovalHarness.CopiesOfAsync(s.Target, s.Sync.Id));
        Assert.Equal((2, 2), (copiesOnA.Count, copiesOnB.Count));
        await _h.ForgetLinkAsync(s.Sync.Id, copiesOnA[0]);
        var (sourceBefore, targetBefore) = (await RemovalHarness.SnapshotAsync(s.Source), await RemovalHarness.SnapshotAsync(s.Target));

        var removal = (await _h.DeleteAsync(s, removeCopies: true)).RemovalRun!;
        var result = await _h.ProcessAsync(removal);

        Assert.Equal(RunStatus.Succeeded, result.Run.Status);
        Assert.Equal((4, 2 + 4), (result.Run.Deleted, result.Run.ApiCalls));
        string[] copies = [.. copiesOnA, .. copiesOnB];
        foreach (var (account, copy) in copiesOnA.Select(c => (s.Source, c)).Concat(copiesOnB.Select(c => (s.Target, c))))
        {
            Assert.Equal(EventStatus.Cancelled, await RemovalHarness.StatusOfAsync(account, copy));
        }
        Assert.Equal(Sorted(sourceBefore.Where(e => !copies.Contains(e.Key))), Sorted((await RemovalHarness.SnapshotAsync(s.Source)).Where(e => !copies.Contains(e.Key))));
        Assert.Equal(Sorted(targetBefore.Where(e => !copies.Contains(e.Key))), Sorted((await RemovalHarness.SnapshotAsync(s.Target)).Where(e => !copies.Contains(e.Key))));
        Assert.Equal(["A1", "A2"], (await Scenario.LiveEventsAsync(s.Source)).Select(e => e.Summary).Order());
        Assert.Equal(["B1", "B2"], (await Scenario.LiveEventsAsync(s.Target)).Select(e => e.Summary).Order());
        Assert.Equal(0, await _h.LinkCountAsync(s.Sync.Id));
        Assert.Equal(copies.Order(), (await _h.ChangesAsync(removal.Id)).Select(c => c.CopyEventId!).Order());
    }

    [Fact]
    public async Task Deleting_without_removing_copies_leaves_every_copy_and_queues_nothing()
    {
        var s = await env.NewScenarioAsync();
        await Scenario.AddAsync(s.Source, RemovalHarness.Timed("Stays copied", Tomorrow));
        await s.RunAsync();
        var targetBefore = await RemovalHarness.SnapshotAsync(s.Target);
        await env.ResetStatsAsync();

        var deletion = await _h.DeleteAsync(s, removeCopies: false);
        var calls = (await env.CallsAsync(s.Source.Email)).Count + (await env.CallsAsync(s.Target.Email)).Count;

        Assert.Equal(0, calls);
        Assert.Null(deletion.RemovalRun);
        Assert.Equal(0, await _h.QueuedRunCountAsync(s.Sync.Id));
        Assert.Equal(Sorted(targetBefore), Sorted(await RemovalHarness.SnapshotAsync(s.Target)));
        Assert.Single(await RemovalHarness.CopiesOfAsync(s.Target, s.Sync.Id));
        Assert.Equal(1, await _h.LinkCountAsync(s.Sync.Id)); // Soft delete: the sync's rows stay.
    }

    [Fact]
    public async Task The_removal_waits_for_a_run_holding_the_sync_lock_then_removes_the_copies()
    {
        var s = await env.NewScenarioAsync();
        await Scenario.AddAsync(s.Source, RemovalHarness.Timed("Copied", Tomorrow));
        await s.RunAsync();
        var copy = Assert.Single(await RemovalHarness.CopiesOfAsync(s.Target, s.Sync.Id));
        var removal = (await _h.DeleteAsync(s, removeCopies: true)).RemovalRun!;

        ProcessResult waiting;
        await using (var running = await _h.Lock.TryAcquireAsync(s.Sync.Id, CancellationToken.None))
        {
            Assert.NotNull(running);
            waiting = await _h.ProcessAsync(removal);
            Assert.Equal(EventStatus.Confirmed, await RemovalHarness.StatusOfAsync(s.Target, copy));
        }
        var result = await _h.ProcessAsync(removal);

        Assert.Equal((ProcessResultKind.Deferred, RunStatus.Queued), (waiting.Kind, waiting.Run.Status));
        Assert.Equal((ProcessResultKind.Finished, RunStatus.Succeeded, 1), (result.Kind, result.Run.Status, result.Run.Deleted));
        Assert.Equal(EventStatus.Cancelled, await RemovalHarness.StatusOfAsync(s.Target, copy));
    }

    [Fact]
    public async Task A_removal_that_meets_a_Google_outage_is_retried_later_and_then_converges()
    {
        var s = await env.NewScenarioAsync();
        await Scenario.AddAsync(s.Source, RemovalHarness.Timed("One", Tomorrow));
        await Scenario.AddAsync(s.Source, RemovalHarness.Timed("Two", Tomorrow.AddHours(1)));
        await s.RunAsync();
        var removal = (await _h.DeleteAsync(s, removeCopies: true)).RemovalRun!;

        ProcessResult outage;
        await env.SetFaultsAsync(new { errorRate = 1.0, errorStatuses = Outage });
        try
        {
            outage = await _h.ProcessAsync(removal);
        }
        finally
        {
            await env.ResetFaultsAsync();
        }
        Assert.Equal((ProcessResultKind.RetryScheduled, RunStatus.Queued), (outage.Kind, outage.Run.Status));
        Assert.NotNull(outage.Run.NextAttemptAt);
        Assert.Equal(2, (await RemovalHarness.CopiesOfAsync(s.Target, s.Sync.Id)).Count);

        var retried = await _h.ProcessAsync(removal);

        Assert.Equal((RunStatus.Succeeded, 2, 2), (retried.Run.Status, retried.Run.Attempts, retried.Run.Deleted));
        Assert.Empty(await RemovalHarness.CopiesOfAsync(s.Target, s.Sync.Id));
        Assert.Equal(0, await _h.LinkCountAsync(s.Sync.Id));
    }

    private static List<KeyValuePair<string, (string? Status, string? Etag)>> Sorted(IEnumerable<KeyValuePair<string, (string? Status, string? Etag)>> events) =>
        [.. events.OrderBy(e => e.Key, StringComparer.Ordinal)];
}
