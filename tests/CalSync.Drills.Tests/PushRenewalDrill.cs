using System.Globalization;
using System.Text.Json.Nodes;
using CalSync.Testing;
using Dapper;

namespace CalSync.Drills.Tests;

/// <summary>Channels that live six seconds: the workers renew them in time, and changes keep arriving by push across renewals.</summary>
public sealed class PushRenewalDrill(PushRenewalDrill.ShortChannels fixture) : IClassFixture<PushRenewalDrill.ShortChannels>
{
    public sealed class ShortChannels : PushDrillFixture
    {
        protected override Dictionary<string, string> WorkerSettings
        {
            get
            {
                var settings = base.WorkerSettings;
                settings["Webhooks:ChannelTtl"] = "00:00:06";
                settings["Webhooks:RenewBefore"] = "00:00:03";
                settings["Webhooks:RenewSpread"] = "00:00:00";
                return settings;
            }
        }
    }

    private static readonly string[] Replaced = ["stopped", "retiring"];

    [Fact]
    public async Task Channels_are_renewed_before_they_expire_and_changes_after_several_renewals_still_arrive_by_push()
    {
        await fixture.StartWorkerAsync();
        var sync = await fixture.Google.CreateSyncAsync(fixture.Database.DataSource);
        await Eventually.ReachesAsync(() => fixture.ChannelStatusesAsync(sync.SourceEmail), s => s.Contains("active"), "a first channel");
        await InsertAsync(sync.SourceEmail, "before any renewal");
        await Eventually.ReachesAsync(() => SummariesAsync(sync.TargetEmail), s => s.Contains("before any renewal"), "the first change");

        // Three renewals: each channel is replaced while still live, so there is never a moment without one.
        var channels = await Eventually.ReachesAsync(() => ChannelsAsync(sync.SourceEmail), c => c.Count >= 4, "three renewals");
        await InsertAsync(sync.SourceEmail, "after three renewals");
        await Eventually.ReachesAsync(() => SummariesAsync(sync.TargetEmail), s => s.Contains("after three renewals"), "the change after renewals");

        Assert.All(channels.Zip(channels.Skip(1)), pair =>
            Assert.True(pair.Second.CreatedAt < pair.First.ExpiresAt, $"channel {pair.Second.Id} came after {pair.First.Id} expired"));
        // The snapshot may catch a renewal half done: the newest channel's predecessor is retiring until it is stopped.
        Assert.All(channels.SkipLast(2), c => Assert.Equal("stopped", c.Status));
        Assert.Contains(channels[^2].Status, Replaced);
        Assert.All(await fixture.RunsAsync(sync.SyncId), r => Assert.Equal("push", r.Trigger));
    }

    private async Task<List<ChannelRow>> ChannelsAsync(string email)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<ChannelRow>(
            """
            select c.id as Id, c.status as Status, c.created_at as CreatedAt, c.expires_at as ExpiresAt
            from watch_channels c join google_accounts g on g.id = c.account_id where g.email = @email order by c.created_at
            """, new { email })];
    }

    private Task<string> InsertAsync(string email, string summary)
    {
        var start = new DateTimeOffset(TimeProvider.System.GetUtcNow().Date.AddDays(1).AddHours(9), TimeSpan.Zero);
        var body = new JsonObject
        {
            ["summary"] = summary,
            ["start"] = new JsonObject { ["dateTime"] = start.ToString("O", CultureInfo.InvariantCulture) },
            ["end"] = new JsonObject { ["dateTime"] = start.AddHours(1).ToString("O", CultureInfo.InvariantCulture) },
        };
        return fixture.Google.CallAsApiAsync(email, HttpMethod.Post, "calendar/v3/calendars/primary/events", body.ToJsonString());
    }

    private async Task<List<string>> SummariesAsync(string email)
    {
        var json = JsonNode.Parse(await fixture.Google.CallAsApiAsync(email, HttpMethod.Get, "calendar/v3/calendars/primary/events?maxResults=2500"))!;
        return [.. json["items"]!.AsArray().Select(e => e!["summary"]?.GetValue<string>() ?? "")];
    }

    private sealed class ChannelRow
    {
        public string Id { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? ExpiresAt { get; init; }
    }
}
