using System.Net;
using CalSync.Api.Webhooks;
using CalSync.Engine.Push;
using CalSync.Engine.Runs;
using CalSync.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace CalSync.Api.Tests;

/// <summary>
/// <c>POST /webhooks/google</c>: verified notifications queue <c>push</c> runs of the syncs reading the watched
/// calendar; everything else (forgeries, unknown or stopped channels, the first <c>sync</c> message) is answered
/// 200 and causes nothing. "Causes nothing" is observed against a control notification sent afterwards, whose
/// run appears only after anything the earlier one would have queued.
/// </summary>
public sealed class WebhookTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private WatchChannelStore Channels => fixture.Api.Services.GetRequiredService<WatchChannelStore>();

    [Fact]
    public async Task A_verified_change_queues_one_push_run_for_every_sync_that_reads_the_calendar()
    {
        var account = await AccountAsync();
        var twoWayReading = await SyncAsync(account, "other", "watched", "two-way");
        var oneWayReading = await SyncAsync(account, "watched", "other", "one-way");
        var oneWayWriting = await SyncAsync(account, "other", "watched", "one-way");
        var paused = await SyncAsync(account, "watched", "other", "one-way", active: false);
        var channel = await ChannelAsync(account, "watched");

        var answer = await NotifyAsync(channel);

        Assert.Equal(HttpStatusCode.OK, answer);
        await RunsQueuedAsync(twoWayReading);
        await RunsQueuedAsync(oneWayReading);
        Assert.Equal(RunTrigger.Push, Assert.Single(await RunsAsync(twoWayReading)).Trigger);
        Assert.Equal(RunTrigger.Push, Assert.Single(await RunsAsync(oneWayReading)).Trigger);
        Assert.Empty(await RunsAsync(oneWayWriting));
        Assert.Empty(await RunsAsync(paused));
    }

    [Fact]
    public async Task A_push_run_is_told_which_of_its_calendars_was_notified()
    {
        var account = await AccountAsync();
        var readingItAsB = await SyncAsync(account, "other", "sided", "two-way");
        var readingItAsA = await SyncAsync(account, "sided", "other", "one-way");
        var channel = await ChannelAsync(account, "sided");

        await NotifyAsync(channel);
        await RunsQueuedAsync(readingItAsB);
        await RunsQueuedAsync(readingItAsA);

        Assert.Equal("b", Assert.Single(await RunsAsync(readingItAsB)).NotifiedSides);
        Assert.Equal("a", Assert.Single(await RunsAsync(readingItAsA)).NotifiedSides);
    }

    [Fact]
    public async Task Notifications_of_both_calendars_of_a_sync_become_one_run_told_of_both()
    {
        var account = await AccountAsync();
        var sync = await SyncAsync(account, "left", "right", "two-way");
        var (left, right) = (await ChannelAsync(account, "left"), await ChannelAsync(account, "right"));

        await Task.WhenAll(NotifyAsync(left), NotifyAsync(right));
        await RunsQueuedAsync(sync);
        await ControlAsync();

        // No worker takes runs here: whether the second arrived within the wait or joined the queued run, one run lists both.
        Assert.Equal("ab", Assert.Single(await RunsAsync(sync)).NotifiedSides);
    }

    [Fact]
    public async Task A_forged_notification_with_the_right_channel_id_causes_nothing()
    {
        var account = await AccountAsync();
        var target = await SyncAsync(account, "forged", "other", "one-way");
        var channel = await ChannelAsync(account, "forged");

        var wrongToken = await NotifyAsync(channel with { Token = ChannelTokens.NewToken() });
        var noToken = await NotifyAsync(channel with { Token = null });
        var wrongResource = await NotifyAsync(channel with { ResourceId = "someone-elses-resource" });
        await ControlAsync();

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], [wrongToken, noToken, wrongResource]);
        Assert.Empty(await RunsAsync(target));
    }

    [Fact]
    public async Task Unknown_and_stopped_channels_and_sync_messages_cause_no_run_and_a_stopped_channel_is_stopped_again()
    {
        var account = await AccountAsync();
        var reading = await SyncAsync(account, "quiet", "other", "one-way");
        var stopped = await ChannelAsync(account, "quiet");
        await Channels.MarkStoppedAsync(stopped.Id, CancellationToken.None);
        await Execute("update watch_channels set updated_at = now() - interval '2 minutes' where id = @Id", stopped);
        var live = await ChannelAsync(account, "quiet");

        var unknown = await NotifyAsync(new Notification(ChannelTokens.NewChannelId(), ChannelTokens.NewToken(), "resource"));
        var toStopped = await NotifyAsync(stopped);
        var syncMessage = await NotifyAsync(live, state: "sync");
        await ControlAsync();

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], [unknown, toStopped, syncMessage]);
        Assert.Empty(await RunsAsync(reading));
        Assert.NotNull((await Channels.FindAsync(stopped.Id, CancellationToken.None))!.StopRequestedAt);
        Assert.Null((await Channels.FindAsync(live.Id, CancellationToken.None))!.StopRequestedAt);
    }

    [Fact]
    public async Task A_channel_whose_watch_has_not_answered_yet_is_verified_by_its_token_alone()
    {
        var account = await AccountAsync();
        var sync = await SyncAsync(account, "pending", "other", "one-way");
        var id = ChannelTokens.NewChannelId();
        var token = ChannelTokens.NewToken();
        Assert.True(await Channels.TryAddPendingAsync(id, new WatchedCalendar(account, "pending"), ChannelTokens.Hash(token), CancellationToken.None));

        var forged = await NotifyAsync(new Notification(id, "not-the-token", "any-resource"));
        await ControlAsync();
        var runsAfterForgery = await RunsAsync(sync);
        var genuine = await NotifyAsync(new Notification(id, token, "the-resource-google-chose"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (forged, genuine));
        Assert.Empty(runsAfterForgery);
        await RunsQueuedAsync(sync);
    }

    [Fact]
    public async Task A_burst_of_300_notifications_queues_one_or_two_runs_not_300()
    {
        var account = await AccountAsync();
        var sync = await SyncAsync(account, "busy", "other", "two-way");
        var channel = await ChannelAsync(account, "busy");

        var answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => NotifyAsync(channel)));
        await RunsQueuedAsync(sync);
        await ControlAsync();

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a));
        var runs = await RunsAsync(sync);
        Assert.InRange(runs.Count, 1, 2);
        Assert.All(runs, r => Assert.Equal(RunTrigger.Push, r.Trigger));
    }

    [Fact]
    public async Task A_notification_from_another_site_without_a_cookie_is_accepted()
    {
        var account = await AccountAsync();
        var sync = await SyncAsync(account, "cross", "other", "one-way");
        var channel = await ChannelAsync(account, "cross");

        var answer = await NotifyAsync(channel, extra: new() { ["Origin"] = "https://google.example", ["Sec-Fetch-Site"] = "cross-site" });

        Assert.Equal(HttpStatusCode.OK, answer);
        await RunsQueuedAsync(sync);
    }

    [Fact]
    public async Task Metrics_count_notifications_by_outcome_and_coalesced_ones_and_time_them_to_their_run()
    {
        var account = await AccountAsync();
        var sync = await SyncAsync(account, "measured", "other", "one-way");
        var channel = await ChannelAsync(account, "measured");
        // Other tests of the class may run meanwhile and only add: at least what this test sent.
        using var notifications = new MetricCollector<long>(null, PushMetrics.MeterName, "calsync.push.notifications");
        using var coalesced = new MetricCollector<long>(null, PushMetrics.MeterName, "calsync.push.coalesced");
        using var toRun = new MetricCollector<double>(null, PushMetrics.MeterName, "calsync.push_to_run");

        await NotifyAsync(channel with { Token = "forged" });
        await NotifyAsync(channel, state: "sync");
        await NotifyAsync(channel);
        await NotifyAsync(channel);
        await RunsQueuedAsync(sync);
        await ControlAsync();
        // A run is timed just after it is queued: the test may see the run's row before the measurement is taken.
        await Eventually.ReachesAsync(() => Task.FromResult(toRun.GetMeasurementSnapshot().Count), n => n >= 2, "this sync's and the control's runs timed");
        await Eventually.ReachesAsync(() => Task.FromResult(coalesced.GetMeasurementSnapshot().Sum(m => m.Value)), n => n >= 1, "a coalesced notification counted");

        Assert.True(Notifications("unverified") >= 1);
        Assert.True(Notifications("sync") >= 1);
        Assert.True(Notifications("accepted") >= 3);

        long Notifications(string outcome) =>
            notifications.GetMeasurementSnapshot().Where(m => Equals(m.Tags["outcome"], outcome)).Sum(m => m.Value);
    }

    [Theory]
    [InlineData(null, "resource", "exists")]
    [InlineData("channel", null, "exists")]
    [InlineData("channel", "resource", null)]
    [InlineData("a-channel-id-longer-than-the-sixty-four-characters-google-allows-for-it", "resource", "exists")]
    public async Task A_request_without_the_push_headers_is_a_400_problem(string? channelId, string? resourceId, string? state)
    {
        using var client = fixture.Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, GoogleWebhook.Path);
        AddHeader(request, "X-Goog-Channel-ID", channelId);
        AddHeader(request, "X-Goog-Resource-ID", resourceId);
        AddHeader(request, "X-Goog-Resource-State", state);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private sealed record Notification(string Id, string? Token, string ResourceId);

    private async Task<HttpStatusCode> NotifyAsync(Notification channel, string state = "exists", Dictionary<string, string>? extra = null)
    {
        using var client = fixture.Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, GoogleWebhook.Path) { Content = new ByteArrayContent([]) };
        AddHeader(request, "X-Goog-Channel-ID", channel.Id);
        AddHeader(request, "X-Goog-Channel-Token", channel.Token);
        AddHeader(request, "X-Goog-Resource-ID", channel.ResourceId);
        AddHeader(request, "X-Goog-Resource-State", state);
        AddHeader(request, "X-Goog-Message-Number", "2");
        foreach (var (name, value) in extra ?? [])
        {
            AddHeader(request, name, value);
        }
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static void AddHeader(HttpRequestMessage request, string name, string? value)
    {
        if (value is not null)
        {
            request.Headers.Add(name, value);
        }
    }

    /// <summary>A genuine notification for a sync of its own, awaited until its run is queued.</summary>
    private async Task ControlAsync()
    {
        var account = await AccountAsync();
        var sync = await SyncAsync(account, "control", "other", "one-way");
        await NotifyAsync(await ChannelAsync(account, "control"));
        await RunsQueuedAsync(sync);
    }

    /// <summary>An active channel on the calendar, created as the reconciler does (only the token's hash is stored).</summary>
    private async Task<Notification> ChannelAsync(Guid accountId, string calendarId)
    {
        var id = ChannelTokens.NewChannelId();
        var token = ChannelTokens.NewToken();
        var resourceId = $"resource-{Guid.NewGuid():N}";
        Assert.True(await Channels.TryAddPendingAsync(id, new WatchedCalendar(accountId, calendarId), ChannelTokens.Hash(token), CancellationToken.None));
        await Channels.ActivateAsync(id, resourceId, TimeProvider.System.GetUtcNow().AddDays(7), null, CancellationToken.None);
        return new Notification(id, token, resourceId);
    }

    private async Task<Guid> AccountAsync()
    {
        var userId = Guid.NewGuid();
        var accountId = Guid.NewGuid();
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            insert into users (id, email, created_at) values (@userId, @email, now());
            insert into google_accounts (id, user_id, google_subject, email, created_at, updated_at)
            values (@accountId, @userId, @subject, @email, now(), now());
            """,
            new { userId, accountId, email = $"{userId:N}@example.com", subject = userId.ToString("N") });
        return accountId;
    }

    private async Task<Guid> SyncAsync(Guid accountId, string source, string target, string direction, bool active = true)
    {
        var syncId = Guid.NewGuid();
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            insert into syncs (id, user_id, name, a_account_id, a_calendar_id, b_account_id, b_calendar_id, direction, active, created_at, updated_at)
            select @syncId, user_id, 'webhook test', id, @source, id, @target, @direction, @active, now(), now() from google_accounts where id = @accountId
            """,
            new { syncId, accountId, source, target, direction, active });
        return syncId;
    }

    private async Task Execute(string sql, object parameters)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    private Task<List<RunRow>> RunsQueuedAsync(Guid syncId) =>
        Eventually.ReachesAsync(() => RunsAsync(syncId), r => r.Count > 0, $"a run of sync {syncId}");

    private async Task<List<RunRow>> RunsAsync(Guid syncId)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<RunRow>(
            "select id as Id, trigger as Trigger, notified_sides as NotifiedSides from runs where sync_id = @syncId", new { syncId })];
    }

    private sealed class RunRow
    {
        public Guid Id { get; init; }
        public string Trigger { get; init; } = "";
        public string? NotifiedSides { get; init; }
    }
}
