using System.Collections.Concurrent;
using CalSync.Engine.Runs;
using CalSync.Testing;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CalSync.Engine.Tests.Runs;

public sealed class RunDispatcherTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly DispatcherOptions _options = new() { Grace = TimeSpan.FromSeconds(5), RepublishAfter = TimeSpan.FromMinutes(2) };
    private readonly ConcurrentBag<Guid> _published = [];

    private RunStore Store => new(database.DataSource, _time);

    private RunLock Lock => new(database.DataSource, Options.Create(new RunOptions()), _time);

    private RunDispatcher Dispatcher => new(database.DataSource, Lock, Options.Create(_options), _time, NullLogger<RunDispatcher>.Instance);

    private async Task<int> DispatchAsync() => await Dispatcher.DispatchAsync((run, _) =>
    {
        _published.Add(run.Id);
        return Task.CompletedTask;
    }, CancellationToken.None);

    private async Task<Run> QueueRunAsync()
    {
        var syncId = await TestData.CreateSyncAsync(database.DataSource);
        return (await Store.EnqueueAsync(syncId, RunTrigger.Manual, false, false, CancellationToken.None)).Run;
    }

    // Other tests share the database: count only what this test's runs got.
    private int PublishedFor(Guid runId) => _published.Count(id => id == runId);

    [Fact]
    public async Task DispatchAsync_QueuedRunNeverPublished_IsPublishedOnceAfterTheGrace()
    {
        var run = await QueueRunAsync();

        await DispatchAsync();
        Assert.Equal(0, PublishedFor(run.Id));
        _time.Advance(TimeSpan.FromSeconds(6));
        await DispatchAsync();
        await DispatchAsync();

        Assert.Equal(1, PublishedFor(run.Id));
    }

    [Fact]
    public async Task DispatchAsync_PublishedRunNeverStarted_IsPublishedAgainWhenStale()
    {
        var run = await QueueRunAsync();
        await Store.MarkPublishedAsync(run.Id, CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(1));
        await DispatchAsync();
        Assert.Equal(0, PublishedFor(run.Id));
        _time.Advance(TimeSpan.FromMinutes(1));
        await DispatchAsync();

        Assert.Equal(1, PublishedFor(run.Id));
    }

    [Fact]
    public async Task DispatchAsync_DelayedRetry_IsPublishedOnceWhenDue()
    {
        var run = await QueueRunAsync();
        await Store.MarkPublishedAsync(run.Id, CancellationToken.None);
        await Store.DeferAsync(run.Id, _time.GetUtcNow() + TimeSpan.FromSeconds(30), CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(20));
        await DispatchAsync();
        Assert.Equal(0, PublishedFor(run.Id));
        _time.Advance(TimeSpan.FromSeconds(10));
        await DispatchAsync();
        await DispatchAsync();

        Assert.Equal(1, PublishedFor(run.Id));
    }

    [Fact]
    public async Task DispatchAsync_RunLeftRunningByDeadWorker_IsPublishedForTakeOver()
    {
        var run = await QueueRunAsync();
        await Store.TryStartAsync(run.Id, "dead-worker", CancellationToken.None); // No lock: its worker is gone.

        await DispatchAsync();

        Assert.Equal(1, PublishedFor(run.Id));
    }

    [Fact]
    public async Task DispatchAsync_RunRunningUnderItsLock_IsLeftAlone()
    {
        var run = await QueueRunAsync();
        await using var held = await Lock.TryAcquireAsync(run.SyncId, CancellationToken.None);
        await Store.TryStartAsync(run.Id, "live-worker", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(10));

        await DispatchAsync();

        Assert.Equal(0, PublishedFor(run.Id));
    }

    [Fact]
    public async Task DispatchAsync_ManyDispatchersAtOnce_PublishEachRunOnce()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => QueueRunAsync()));
        _time.Advance(TimeSpan.FromSeconds(6));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => DispatchAsync()));

        Assert.All(runs, run => Assert.Equal(1, PublishedFor(run.Id)));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(20, await connection.ExecuteScalarAsync<int>(
            "select count(*) from runs where id = any(@ids) and published_at is not null", new { ids = runs.Select(r => r.Id).ToArray() }));
    }
}
