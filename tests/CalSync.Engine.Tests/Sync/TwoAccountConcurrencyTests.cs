using CalSync.Engine.Google;
using CalSync.Engine.Sync;
using CalSync.Engine.Tests.Google.Integration;
using Dapper;

namespace CalSync.Engine.Tests.Sync;

/// <summary>
/// A two-way sync between calendars of two Google accounts spends two budgets: it reads both sides at the
/// same time and writes both sides at the same time, and each pair's link still ends up as both writes left it.
/// </summary>
public sealed class TwoAccountConcurrencyTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>
{
    private static readonly DateTimeOffset Tomorrow = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(9);

    // Generous: on a busy machine a batch may take seconds; a sequential engine waits forever.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Both_sides_are_read_and_written_at_the_same_time_when_their_accounts_differ()
    {
        var s = await env.NewScenarioAsync(SyncDirection.TwoWay);
        Assert.NotEqual(s.Sync.A.AccountId, s.Sync.B.AccountId);
        await SeedAsync(s.Source, "A", 70);
        await SeedAsync(s.Target, "B", 70);
        var gate = new OverlapGate(Patience);

        var run = await s.RunAsync(a: gate.Wrap(Side.A, s.A), b: gate.Wrap(Side.B, s.B));

        Assert.Equal(140, run.Created);
        var (onA, onB) = (await Scenario.LiveEventsAsync(s.Source), await Scenario.LiveEventsAsync(s.Target));
        Assert.Equal((140, 140), (onA.Count, onB.Count));
        Assert.Equal(140, await LinkCountAsync(s.Sync.Id));
        var again = await s.RunAsync();
        Assert.Equal((0, 0, 0), (again.Created, again.Updated, again.Deleted));
    }

    private static async Task SeedAsync(ConnectedAccount account, string prefix, int count)
    {
        var inserts = Enumerable.Range(0, count)
            .Select(i => CalendarOperation.InsertEvent("primary", Scenario.Timed($"{prefix}{i}", Tomorrow.AddMinutes(30 * i)) with { Id = "e" + Guid.NewGuid().ToString("N") }))
            .ToList();
        var results = await account.Client.ExecuteBatchAsync(inserts, CancellationToken.None);
        Assert.All(results, r => Assert.True(r.Succeeded));
    }

    private async Task<int> LinkCountAsync(Guid syncId)
    {
        await using var connection = await env.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("select count(*) from event_links where sync_id = @syncId", new { syncId });
    }
}
