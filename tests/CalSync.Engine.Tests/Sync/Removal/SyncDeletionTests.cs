using CalSync.Engine.Runs;
using CalSync.Engine.Sync;
using CalSync.Testing;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CalSync.Engine.Tests.Sync.Removal;

/// <summary><see cref="SyncDeletion"/> and what a deleted sync means to the stores that read syncs and runs.</summary>
public sealed class SyncDeletionTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    private SyncDeletion Deletion => new(database.DataSource, _time);

    private RunStore Runs => new(database.DataSource, _time);

    [Fact]
    public async Task DeleteAsync_OwnSync_MarksItDeletedAndInactiveAndQueuesNothingWithoutRemoveCopies()
    {
        var (userId, syncId) = await CreateSyncAsync();

        var result = await Deletion.DeleteAsync(userId, syncId, removeCopies: false, CancellationToken.None);

        Assert.Equal((SyncDeletionStatus.Deleted, null, 0), (result.Status, result.RemovalRun, result.EndedRunIds.Count));
        var row = await SyncRowAsync(syncId);
        Assert.Equal((_time.GetUtcNow(), false), (row.DeletedAt, row.Active));
        Assert.Empty(await RunsOfAsync(syncId));
    }

    [Fact]
    public async Task DeleteAsync_EndsQueuedRunsAsFailed_LeavesTheExecutingRunAlone_AndQueuesTheRemoval()
    {
        var (userId, syncId) = await CreateSyncAsync();
        var executing = (await Runs.EnqueueAsync(syncId, RunTrigger.Manual, false, false, CancellationToken.None)).Run;
        await Runs.TryStartAsync(executing.Id, "worker-1", CancellationToken.None);
        var waiting = (await Runs.EnqueueAsync(syncId, RunTrigger.Push, false, false, CancellationToken.None)).Run;
        var dryRun = (await Runs.EnqueueAsync(syncId, RunTrigger.Manual, false, true, CancellationToken.None)).Run;
        _time.Advance(TimeSpan.FromMinutes(1));

        var result = await Deletion.DeleteAsync(userId, syncId, removeCopies: true, CancellationToken.None);

        Guid[] queued = [waiting.Id, dryRun.Id];
        Assert.Equal(queued.Order(), result.EndedRunIds.Order());
        foreach (var id in queued)
        {
            var ended = (await Runs.GetAsync(id, CancellationToken.None))!;
            Assert.Equal((RunStatus.Failed, SyncDeletion.EndedRunError, _time.GetUtcNow()), (ended.Status, ended.Error, ended.FinishedAt));
        }
        Assert.Equal(RunStatus.Running, (await Runs.GetAsync(executing.Id, CancellationToken.None))!.Status);
        var removal = result.RemovalRun!;
        Assert.Equal(removal, await Runs.GetAsync(removal.Id, CancellationToken.None));
        Assert.Equal((syncId, RunKind.RemoveCopies, RunTrigger.Manual, RunStatus.Queued, false, _time.GetUtcNow()),
            (removal.SyncId, removal.Kind, removal.Trigger, removal.Status, removal.DryRun, removal.QueuedAt));
    }

    [Fact]
    public async Task DeleteAsync_AnotherUsersSync_IsNotFoundAndChangesNothing()
    {
        var (_, syncId) = await CreateSyncAsync();
        var (otherUser, _) = await CreateSyncAsync();
        var queued = (await Runs.EnqueueAsync(syncId, RunTrigger.Manual, false, false, CancellationToken.None)).Run;

        var result = await Deletion.DeleteAsync(otherUser, syncId, removeCopies: true, CancellationToken.None);

        Assert.Same(SyncDeletionResult.NotFound, result);
        Assert.Equal((null, true), (await SyncRowAsync(syncId)).ToTuple());
        Assert.Equal([queued], await RunsOfAsync(syncId));
    }

    [Fact]
    public async Task DeleteAsync_Twice_IsNotFoundTheSecondTimeAndQueuesOneRemoval()
    {
        var (userId, syncId) = await CreateSyncAsync();
        await Deletion.DeleteAsync(userId, syncId, removeCopies: true, CancellationToken.None);

        var second = await Deletion.DeleteAsync(userId, syncId, removeCopies: true, CancellationToken.None);

        Assert.Equal(SyncDeletionStatus.NotFound, second.Status);
        Assert.Single(await RunsOfAsync(syncId), r => r.Kind == RunKind.RemoveCopies);
    }

    [Fact]
    public async Task DeleteAsync_Concurrently_DeletesOnce()
    {
        var (userId, syncId) = await CreateSyncAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Deletion.DeleteAsync(userId, syncId, true, CancellationToken.None))));

        Assert.Single(results, r => r.Status == SyncDeletionStatus.Deleted);
        Assert.Single(await RunsOfAsync(syncId));
    }

    [Fact]
    public async Task DeleteAsync_UnknownSync_IsNotFound()
    {
        var (userId, _) = await CreateSyncAsync();

        Assert.Equal(SyncDeletionStatus.NotFound, (await Deletion.DeleteAsync(userId, Guid.NewGuid(), true, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task GetDefinitionAsync_DeletedSync_IsOnlyFoundForRemoval()
    {
        var (userId, syncId) = await CreateSyncAsync();
        var store = new SyncStore(database.DataSource, TimeProvider.System);
        Assert.NotNull(await store.GetDefinitionAsync(syncId, CancellationToken.None));
        Assert.Null(await store.GetDeletedDefinitionAsync(syncId, CancellationToken.None));

        await Deletion.DeleteAsync(userId, syncId, removeCopies: false, CancellationToken.None);

        Assert.Null(await store.GetDefinitionAsync(syncId, CancellationToken.None));
        Assert.Equal(syncId, (await store.GetDeletedDefinitionAsync(syncId, CancellationToken.None))!.Id);
    }

    [Fact]
    public async Task ListSchedulesAsync_DeletedSync_IsNotScheduledEvenIfMarkedActiveAgain()
    {
        var (userId, syncId) = await CreateSyncAsync();
        await ExecuteAsync("update syncs set cron = '*/15 * * * *', time_zone = 'Europe/Berlin' where id = @syncId", new { syncId });
        var syncs = new SyncStore(database.DataSource, TimeProvider.System);
        Assert.Contains(await syncs.ListSchedulesAsync(CancellationToken.None), s => s.SyncId == syncId);

        await Deletion.DeleteAsync(userId, syncId, removeCopies: false, CancellationToken.None);
        await ExecuteAsync("update syncs set active = true where id = @syncId", new { syncId });

        Assert.DoesNotContain(await syncs.ListSchedulesAsync(CancellationToken.None), s => s.SyncId == syncId);
    }

    [Fact]
    public async Task EnqueueAsync_WhileARemovalIsQueued_QueuesASyncRunOfItsOwnInsteadOfJoiningTheRemoval()
    {
        var (userId, syncId) = await CreateSyncAsync();
        var removal = (await Deletion.DeleteAsync(userId, syncId, removeCopies: true, CancellationToken.None)).RemovalRun!;

        var (run, created) = await Runs.EnqueueAsync(syncId, RunTrigger.Schedule, false, false, CancellationToken.None);

        Assert.True(created);
        Assert.NotEqual(removal.Id, run.Id);
        Assert.Equal(RunKind.Sync, run.Kind);
    }

    [Fact]
    public async Task RetryLaterAsync_RemovalWithASyncRunQueued_RequeuesTheRemovalItself()
    {
        var (userId, syncId) = await CreateSyncAsync();
        var removal = (await Deletion.DeleteAsync(userId, syncId, removeCopies: true, CancellationToken.None)).RemovalRun!;
        await Runs.TryStartAsync(removal.Id, "worker-1", CancellationToken.None);
        await Runs.EnqueueAsync(syncId, RunTrigger.Schedule, false, false, CancellationToken.None);

        var retry = await Runs.RetryLaterAsync(removal.Id, _time.GetUtcNow().AddMinutes(1), "Google answered 503", CancellationToken.None);

        Assert.NotNull(retry);
        Assert.Null(retry.CarriedBy);
        Assert.Equal((removal.Id, RunStatus.Queued, RunKind.RemoveCopies), (retry.Run.Id, retry.Run.Status, retry.Run.Kind));
    }

    private async Task<(Guid UserId, Guid SyncId)> CreateSyncAsync()
    {
        var syncId = await TestData.CreateSyncAsync(database.DataSource);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<Guid>("select user_id from syncs where id = @syncId", new { syncId }), syncId);
    }

    private async Task<SyncRow> SyncRowAsync(Guid syncId)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<SyncRow>("select deleted_at as DeletedAt, active as Active from syncs where id = @syncId", new { syncId });
    }

    private async Task<List<Run>> RunsOfAsync(Guid syncId)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<Run>($"select {RunStore.Columns} from runs where sync_id = @syncId order by queued_at", new { syncId })];
    }

    private async Task ExecuteAsync(string sql, object parameters)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    private sealed class SyncRow
    {
        public DateTimeOffset? DeletedAt { get; init; }
        public bool Active { get; init; }

        public (DateTimeOffset?, bool) ToTuple() => (DeletedAt, Active);
    }
}
