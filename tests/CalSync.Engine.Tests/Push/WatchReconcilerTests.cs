using CalSync.Engine.Push;
using CalSync.Testing;

namespace CalSync.Engine.Tests.Push;

/// <summary>The reconciler against the emulator: which calendars get channels, when they are stopped, how they are renewed.</summary>
public sealed class WatchReconcilerTests(PushEnvironment env) : IClassFixture<PushEnvironment>
{
    private const string Watch = "calendar.events.watch";
    private const string Stop = "calendar.channels.stop";

    [Fact]
    public async Task Every_calendar_an_active_sync_reads_is_watched_once_however_many_syncs_read_it()
    {
        var twoWay = await env.CreateSyncAsync("two-way");
        var oneWay = await env.CreateSyncAsync();
        // A second sync reading the two-way sync's source (one-way: its target, the one-way sync's source, is not read by it).
        await env.ExecuteAsync(
            """
            insert into syncs (id, user_id, name, a_account_id, a_calendar_id, b_account_id, b_calendar_id, direction, created_at, updated_at)
            select @id, user_id, 'shares a calendar', a_account_id, a_calendar_id, @target, 'primary', 'one-way', now(), now() from syncs where id = @twoWay
            """, new { id = Guid.NewGuid(), twoWay = twoWay.SyncId, target = await env.AccountIdAsync(oneWay.SourceEmail) });

        var reconciler = env.Reconciler();
        await reconciler.ReconcileAsync(CancellationToken.None);
        await reconciler.ReconcileAsync(CancellationToken.None);

        foreach (var email in new[] { twoWay.SourceEmail, twoWay.TargetEmail, oneWay.SourceEmail })
        {
            var channels = await env.ChannelsAsync(email);
            var channel = Assert.Single(channels);
            Assert.Equal((ChannelStatus.Active, "primary"), (channel.Status, channel.CalendarId));
            Assert.NotNull(channel.ResourceId);
            Assert.True(channel.ExpiresAt > TimeProvider.System.GetUtcNow().AddDays(6), $"expires {channel.ExpiresAt}: Google's default week was asked for");
            Assert.Equal(1, await env.CallsAsync(email, Watch));
        }
        Assert.Empty(await env.ChannelsAsync(oneWay.TargetEmail));
        Assert.Equal(0, await env.CallsAsync(oneWay.TargetEmail, Watch));
    }

    [Fact]
    public async Task Pausing_or_deleting_a_sync_stops_its_channels_at_Google_and_an_account_needing_sign_in_loses_them()
    {
        var paused = await env.CreateSyncAsync("two-way");
        var deleted = await env.CreateSyncAsync();
        var reauth = await env.CreateSyncAsync();
        var kept = await env.CreateSyncAsync();
        var reconciler = env.Reconciler();
        await reconciler.ReconcileAsync(CancellationToken.None);
        var before = new Dictionary<string, WatchChannel>();
        foreach (var email in new[] { paused.SourceEmail, paused.TargetEmail, deleted.SourceEmail, reauth.SourceEmail, kept.SourceEmail })
        {
            before[email] = Assert.Single(await env.ChannelsAsync(email));
        }

        await env.ExecuteAsync("update syncs set active = false where id = @id", new { id = paused.SyncId });
        await env.ExecuteAsync("update syncs set deleted_at = now() where id = @id", new { id = deleted.SyncId });
        await env.ExecuteAsync("update google_accounts set status = 'reauth_required' where email = @email", new { email = reauth.SourceEmail });
        await reconciler.ReconcileAsync(CancellationToken.None);

        foreach (var email in new[] { paused.SourceEmail, paused.TargetEmail, deleted.SourceEmail })
        {
            Assert.Equal(ChannelStatus.Stopped, Assert.Single(await env.ChannelsAsync(email)).Status);
            Assert.Equal(1, await env.CallsAsync(email, Stop));
            Assert.False(await env.StopAtEmulatorAsync(email, before[email]), $"the channel of {email} is still live at Google");
        }
        // Without a usable account nobody can stop it at Google: it is dropped here and lapses there.
        Assert.Equal(ChannelStatus.Stopped, Assert.Single(await env.ChannelsAsync(reauth.SourceEmail)).Status);
        Assert.Equal(ChannelStatus.Active, Assert.Single(await env.ChannelsAsync(kept.SourceEmail)).Status);
        Assert.Equal(0, await env.CallsAsync(kept.SourceEmail, Stop));

        // Resuming watches again, with a new channel.
        await env.ExecuteAsync("update syncs set active = true where id = @id", new { id = paused.SyncId });
        await reconciler.ReconcileAsync(CancellationToken.None);
        var resumed = await env.ChannelsAsync(paused.SourceEmail);
        Assert.Equal([ChannelStatus.Stopped, ChannelStatus.Active], resumed.Select(c => c.Status));
        Assert.NotEqual(before[paused.SourceEmail].Id, resumed[1].Id);
    }

    [Fact]
    public async Task A_channel_is_replaced_before_it_expires_and_the_old_one_stopped_only_after_its_successor_is_live()
    {
        var sync = await env.CreateSyncAsync();
        var reconciler = env.Reconciler(o =>
        {
            o.ChannelTtl = TimeSpan.FromSeconds(6);
            o.RenewBefore = TimeSpan.FromSeconds(3);
            o.RenewSpread = TimeSpan.Zero;
        });
        await reconciler.ReconcileAsync(CancellationToken.None);
        var first = Assert.Single(await env.ChannelsAsync(sync.SourceEmail));

        var channels = await Eventually.ReachesAsync(async () =>
        {
            await reconciler.ReconcileAsync(CancellationToken.None);
            return await env.ChannelsAsync(sync.SourceEmail);
        }, c => c.Count >= 2, "a renewal");

        var (old, successor) = (channels[0], channels[1]);
        Assert.Equal(first.Id, old.Id);
        Assert.Equal((ChannelStatus.Stopped, ChannelStatus.Active), (old.Status, successor.Status));
        Assert.True(successor.CreatedAt < first.ExpiresAt, $"successor created {successor.CreatedAt:O}, after the first expired {first.ExpiresAt:O}");
        Assert.True(successor.ExpiresAt > first.ExpiresAt);
        Assert.Equal(2, await env.CallsAsync(sync.SourceEmail, Watch));
        Assert.Equal(1, await env.CallsAsync(sync.SourceEmail, Stop));
        Assert.False(await env.StopAtEmulatorAsync(sync.SourceEmail, first), "the replaced channel is still live at Google");
    }

    [Fact]
    public async Task Without_a_public_address_no_calendar_is_watched_and_existing_channels_are_stopped()
    {
        var sync = await env.CreateSyncAsync();
        await env.Reconciler().ReconcileAsync(CancellationToken.None);
        Assert.Equal(ChannelStatus.Active, Assert.Single(await env.ChannelsAsync(sync.SourceEmail)).Status);

        await env.Reconciler(o => o.PublicUrl = null).ReconcileAsync(CancellationToken.None);

        Assert.Equal(ChannelStatus.Stopped, Assert.Single(await env.ChannelsAsync(sync.SourceEmail)).Status);
        Assert.Equal(1, await env.CallsAsync(sync.SourceEmail, Stop));
    }

    [Fact]
    public async Task Stopped_channels_are_forgotten_a_day_after_they_expired()
    {
        var sync = await env.CreateSyncAsync();
        var account = await env.AccountIdAsync(sync.SourceEmail);
        foreach (var (calendar, expired) in new[] { ("long-gone", TimeSpan.FromDays(2)), ("recent", TimeSpan.FromHours(1)) })
        {
            var id = ChannelTokens.NewChannelId();
            Assert.True(await env.Store.TryAddPendingAsync(id, new WatchedCalendar(account, calendar), ChannelTokens.Hash("t"), CancellationToken.None));
            await env.Store.ActivateAsync(id, "resource", TimeProvider.System.GetUtcNow() - expired, null, CancellationToken.None);
            await env.Store.MarkStoppedAsync(id, CancellationToken.None);
        }

        await env.Reconciler().ReconcileAsync(CancellationToken.None);

        var left = await env.ChannelsAsync(sync.SourceEmail);
        Assert.DoesNotContain(left, c => c.CalendarId == "long-gone");
        Assert.Contains(left, c => c.CalendarId == "recent");
    }
}
