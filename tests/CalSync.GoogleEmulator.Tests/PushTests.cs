using System.Net.Http.Json;
using System.Net;
using CalSync.GoogleEmulator.Tests.Kit;

namespace CalSync.GoogleEmulator.Tests;

public sealed class PushTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly DateTimeOffset Start = new(2030, 2, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Watch_sends_sync_then_exists_with_increasing_numbers_and_the_token()
    {
        var user = await fixture.NewUserAsync();
        await using var listener = await PushListener.StartAsync();
        var channelId = Guid.NewGuid().ToString();

        var watch = await user.PostAsync($"{user.Events}/watch", new { id = channelId, type = "web_hook", address = listener.Address.ToString(), token = "secret-token" });
        var sync = await listener.NextAsync();
        await user.InsertAsync("first", Start);
        var first = await listener.NextAsync();
        await user.InsertAsync("second", Start.AddHours(2));
        var second = await listener.NextAsync();

        Assert.Equal(HttpStatusCode.OK, watch.Status);
        Assert.Equal("api#channel", watch.Json!["kind"]!.GetValue<string>());
        Assert.Equal(channelId, watch.Json["id"]!.GetValue<string>());
        Assert.NotNull(watch.Json["resourceUri"]);
        Assert.True(long.Parse(watch.Json["expiration"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(("sync", 1L), (sync.State, sync.Number));
        Assert.Equal("exists", first.State);
        Assert.Equal("exists", second.State);
        Assert.True(first.Number > sync.Number && second.Number > first.Number);
        Assert.All(new[] { sync, first, second }, n =>
        {
            Assert.Equal(channelId, n.ChannelId);
            Assert.Equal("secret-token", n.Token);
            Assert.Equal(watch.Json["resourceId"]!.GetValue<string>(), n.ResourceId);
            Assert.NotNull(n.Expiration);
        });
    }

    [Fact]
    public async Task Channels_stop_ends_notifications()
    {
        var user = await fixture.NewUserAsync();
        await using var listener = await PushListener.StartAsync();
        await using var control = await PushListener.StartAsync();
        var watch = await user.PostAsync($"{user.Events}/watch", new { id = Guid.NewGuid().ToString(), type = "web_hook", address = listener.Address.ToString() });
        await listener.NextAsync();
        var controlWatch = await user.PostAsync($"{user.Events}/watch", new { id = Guid.NewGuid().ToString(), type = "web_hook", address = control.Address.ToString() });
        await control.NextAsync();

        var stop = await user.PostAsync("calendar/v3/channels/stop", new { id = watch.Json!["id"]!.GetValue<string>(), resourceId = watch.Json["resourceId"]!.GetValue<string>() });
        var stopAgain = await user.PostAsync("calendar/v3/channels/stop", new { id = watch.Json["id"]!.GetValue<string>(), resourceId = watch.Json["resourceId"]!.GetValue<string>() });
        await user.InsertAsync("after stop", Start);

        // Which channels hear of a change is decided during the write: once the open channel heard of it, nothing is left to come for the stopped one.
        Assert.Equal("exists", (await control.NextAsync()).State);
        Assert.Equal(HttpStatusCode.NoContent, stop.Status);
        Assert.Equal(HttpStatusCode.NotFound, stopAgain.Status);
        Assert.False(listener.TryTake(out _));
        Assert.Equal(HttpStatusCode.OK, controlWatch.Status);
    }

    [Fact]
    public async Task Held_notifications_wait_and_then_arrive_in_order()
    {
        var user = await fixture.NewUserAsync();
        await using var listener = await PushListener.StartAsync();
        await user.PostAsync($"{user.Events}/watch", new { id = Guid.NewGuid().ToString(), type = "web_hook", address = listener.Address.ToString() });
        var sync = await listener.NextAsync();

        await SetHoldAsync(true);
        try
        {
            await user.InsertAsync("first", Start);
            await user.InsertAsync("second", Start.AddHours(1));
            await user.InsertAsync("third", Start.AddHours(2));
            Assert.False(listener.TryTake(out _));
        }
        finally
        {
            await SetHoldAsync(false);
        }
        var released = new[] { await listener.NextAsync(), await listener.NextAsync(), await listener.NextAsync() };

        Assert.All(released, n => Assert.Equal("exists", n.State));
        Assert.Equal([sync.Number + 1, sync.Number + 2, sync.Number + 3], released.Select(n => n.Number));
    }

    private async Task SetHoldAsync(bool hold)
    {
        using var answer = await fixture.Http.PutAsJsonAsync("emulator/faults", new { holdPush = hold });
        answer.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_stuck_webhook_does_not_hold_up_other_channels()
    {
        var user = await fixture.NewUserAsync();
        await using var stuck = await PushListener.StartAsync(hang: true);
        await using var healthy = await PushListener.StartAsync();

        await user.PostAsync($"{user.Events}/watch", new { id = Guid.NewGuid().ToString(), type = "web_hook", address = stuck.Address.ToString() });
        await stuck.NextAsync();
        await user.PostAsync($"{user.Events}/watch", new { id = Guid.NewGuid().ToString(), type = "web_hook", address = healthy.Address.ToString() });
        await user.InsertAsync("change", Start);

        Assert.Equal("sync", (await healthy.NextAsync()).State);
        Assert.Equal("exists", (await healthy.NextAsync()).State);
    }

    [Fact]
    public async Task Calendar_list_acl_and_settings_can_be_watched_too()
    {
        var user = await fixture.NewUserAsync();
        var other = await fixture.NewUserAsync();
        await using var list = await PushListener.StartAsync();
        await using var acl = await PushListener.StartAsync();
        await using var settings = await PushListener.StartAsync();
        var calendar = Uri.EscapeDataString(await fixture.NewCalendarAsync(user));

        var listWatch = await user.PostAsync("calendar/v3/users/me/calendarList/watch", new { id = Guid.NewGuid().ToString(), type = "web_hook", address = list.Address.ToString() });
        var aclWatch = await user.PostAsync($"calendar/v3/calendars/{calendar}/acl/watch", new { id = Guid.NewGuid().ToString(), type = "web_hook", address = acl.Address.ToString() });
        var settingsWatch = await user.PostAsync("calendar/v3/users/me/settings/watch", new { id = Guid.NewGuid().ToString(), type = "web_hook", address = settings.Address.ToString() });
        var (listSync, aclSync, settingsSync) = (await list.NextAsync(), await acl.NextAsync(), await settings.NextAsync());
        await user.PostAsync("calendar/v3/calendars", new { summary = "New one" });
        await user.PostAsync($"calendar/v3/calendars/{calendar}/acl", new { role = "reader", scope = new { type = "user", value = other.Email } });

        Assert.EndsWith("users/me/calendarList?alt=json", listWatch.Json!["resourceUri"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("/acl?alt=json", aclWatch.Json!["resourceUri"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, settingsWatch.Status);
        Assert.Equal(["sync", "sync", "sync"], new[] { listSync.State, aclSync.State, settingsSync.State });
        Assert.Equal("exists", (await list.NextAsync()).State);
        Assert.Equal("exists", (await acl.NextAsync()).State);
    }

    [Fact]
    public async Task Watch_validates_the_channel()
    {
        var user = await fixture.NewUserAsync();
        var id = Guid.NewGuid().ToString();

        var noAddress = await user.PostAsync($"{user.Events}/watch", new { id, type = "web_hook" });
        var badType = await user.PostAsync($"{user.Events}/watch", new { id, type = "carrier_pigeon", address = "https://example.com/hook" });
        var ok = await user.PostAsync($"{user.Events}/watch", new { id, type = "web_hook", address = "http://127.0.0.1:9/hook" });
        var duplicate = await user.PostAsync($"{user.Events}/watch", new { id, type = "web_hook", address = "http://127.0.0.1:9/hook" });

        Assert.Equal(HttpStatusCode.BadRequest, noAddress.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badType.Status);
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.Status);
    }
}
