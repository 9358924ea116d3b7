using System.Text.RegularExpressions;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;
using CalSync.Engine.Tests.Sync.ModelBased;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;

namespace CalSync.Engine.Tests.Sync;

/// <summary>
/// A race on one pair (412) is settled by reading that pair again, not every link of the sync: the engine's
/// database commands are watched through the driver's own command log.
/// </summary>
public sealed partial class ReplanCostTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>
{
    private static readonly DateTimeOffset Tomorrow = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(9);

    [Fact]
    public async Task A_412_replans_its_pair_without_loading_every_link()
    {
        var s = await env.NewScenarioAsync();
        var origins = new List<GoogleEvent>();
        for (var i = 0; i < 5; i++)
        {
            origins.Add(await Scenario.AddAsync(s.Source, Scenario.Timed($"E{i}", Tomorrow.AddHours(i))));
        }
        await s.RunAsync();
        await s.Source.Client.PatchEventAsync("primary", origins[0].Id!, new EventPatch { Changes = new GoogleEvent { Summary = "Renamed" } }, null, CancellationToken.None);
        var racer = new FaultySide(s.B, s.Target.Client, Fault.Race);
        var commands = new FakeLogCollector();
        using var logging = new LoggerFactory([new FakeLoggerProvider(commands)]);
        var builder = new NpgsqlDataSourceBuilder(env.Database.ConnectionString);
        builder.UseLoggerFactory(logging);
        await using var watched = builder.Build();
        var runner = env.RunnerAt(TimeProvider.System, watched);
        var runId = Guid.NewGuid();
        await using (var connection = await env.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("insert into runs (id, sync_id, trigger, status, queued_at) values (@runId, @Id, 'manual', 'running', now())", new { runId, s.Sync.Id });
        }

        var run = await runner.RunAsync(runId, s.Sync, s.A, racer, new RunFlags(), CancellationToken.None);

        Assert.Single(racer.Raced);
        Assert.Equal(1, run.Updated);
        Assert.Equal("Renamed", (await s.Target.Client.GetEventAsync("primary", CopyIds.For(s.Sync.Id, Side.A, origins[0].Id!), CancellationToken.None))!.Summary);
        var executed = commands.GetSnapshot().Select(r => r.Message).Where(m => m.StartsWith("Executing command", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(executed);
        // Planning loads the sync's links once; the replan after the 412 reads one pair by its event id.
        Assert.Single(executed, IsLoadOfEveryLink);
    }

    [Fact]
    public async Task One_link_is_found_by_either_sides_event_id()
    {
        var s = await env.NewScenarioAsync();
        var origin = await Scenario.AddAsync(s.Source, Scenario.Timed("Only", Tomorrow));
        await Scenario.AddAsync(s.Source, Scenario.Timed("Other", Tomorrow.AddHours(1)));
        await s.RunAsync();
        var store = new SyncStateStore(env.Database.DataSource, TimeProvider.System);
        var expected = Assert.Single(await store.GetLinksAsync(s.Sync.Id, DateTimeOffset.MinValue, CancellationToken.None), l => l.AEventId == origin.Id);

        var byA = await store.GetLinkAsync(s.Sync.Id, Side.A, origin.Id!, CancellationToken.None);
        var byB = await store.GetLinkAsync(s.Sync.Id, Side.B, CopyIds.For(s.Sync.Id, Side.A, origin.Id!), CancellationToken.None);

        Assert.Equal(expected, byA);
        Assert.Equal(expected, byB);
        Assert.Null(await store.GetLinkAsync(s.Sync.Id, Side.B, origin.Id!, CancellationToken.None));
        Assert.Null(await store.GetLinkAsync(Guid.NewGuid(), Side.A, origin.Id!, CancellationToken.None));
    }

    private static bool IsLoadOfEveryLink(string command) =>
        command.Contains("from event_links", StringComparison.Ordinal) && command.Contains("select", StringComparison.Ordinal) && !ByEventId().IsMatch(command);

    [GeneratedRegex(@"[ab]_event_id\s*=")]
    private static partial Regex ByEventId();
}
