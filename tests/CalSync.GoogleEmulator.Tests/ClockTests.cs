using System.Net;
using CalSync.GoogleEmulator.Hosting;
using CalSync.GoogleEmulator.Tests.Kit;
using Microsoft.Extensions.Time.Testing;

namespace CalSync.GoogleEmulator.Tests;

/// <summary>An emulator on a fake clock, for behaviour that depends on time passing.</summary>
public sealed class ClockFixture : EmulatorFixture
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected override EmulatorHostOptions Options => new() { TimeProvider = Clock };
}

public sealed class ClockTests(ClockFixture fixture) : IClassFixture<ClockFixture>
{
    private static readonly DateTimeOffset Start = new(2030, 4, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Updated_min_returns_events_changed_since_including_deleted_ones()
    {
        var user = await fixture.NewUserAsync();
        var old = await user.InsertAsync("old", Start);
        var doomed = await user.InsertAsync("doomed", Start.AddHours(1));
        fixture.Clock.Advance(TimeSpan.FromMinutes(5));
        var since = fixture.Clock.GetUtcNow();
        fixture.Clock.Advance(TimeSpan.FromMinutes(5));
        var fresh = await user.InsertAsync("fresh", Start.AddHours(2));
        await user.DeleteAsync($"{user.Events}/{doomed["id"]}");

        var reply = await user.GetAsync($"{user.Events}?updatedMin={Uri.EscapeDataString(since.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture))}");

        Assert.Equal(
            new[] { fresh["id"]!.GetValue<string>(), doomed["id"]!.GetValue<string>() }.Order(StringComparer.Ordinal),
            reply.ItemIds.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(old["id"]!.GetValue<string>(), reply.ItemIds);
    }

    [Fact]
    public async Task An_expired_channel_gets_no_more_notifications()
    {
        var user = await fixture.NewUserAsync();
        await using var shortLived = await PushListener.StartAsync();
        await using var control = await PushListener.StartAsync();
        var expiration = fixture.Clock.GetUtcNow().AddMinutes(10).ToUnixTimeMilliseconds();
        var watch = await user.PostAsync($"{user.Events}/watch", new { id = Guid.NewGuid().ToString(), type = "web_hook", address = shortLived.Address.ToString(), expiration });
        await shortLived.NextAsync();
        await user.PostAsync($"{user.Events}/watch", new { id = Guid.NewGuid().ToString(), type = "web_hook", address = control.Address.ToString() });
        await control.NextAsync();

        fixture.Clock.Advance(TimeSpan.FromMinutes(11));
        await user.InsertAsync("after expiry", Start);

        Assert.Equal("exists", (await control.NextAsync()).State);
        Assert.False(shortLived.TryTake(out _));
        Assert.Equal(expiration.ToString(System.Globalization.CultureInfo.InvariantCulture), watch.Json!["expiration"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sync_tokens_older_than_the_configured_age_are_410()
    {
        var user = await fixture.NewUserAsync();
        var token = (await user.GetAsync(user.Events)).Json!["nextSyncToken"]!.GetValue<string>();
        using (var put = await fixture.Http.PutAsync("emulator/faults", new StringContent("{\"syncTokenMaxAgeSeconds\":60}", System.Text.Encoding.UTF8, "application/json")))
        {
            put.EnsureSuccessStatusCode();
        }

        var young = await user.GetAsync($"{user.Events}?syncToken={Uri.EscapeDataString(token)}");
        fixture.Clock.Advance(TimeSpan.FromSeconds(61));
        var old = await user.GetAsync($"{user.Events}?syncToken={Uri.EscapeDataString(token)}");
        using (var put = await fixture.Http.PutAsync("emulator/faults", new StringContent("{\"syncTokenMaxAgeSeconds\":null}", System.Text.Encoding.UTF8, "application/json")))
        {
            put.EnsureSuccessStatusCode();
        }

        Assert.Equal(HttpStatusCode.OK, young.Status);
        Assert.Equal(HttpStatusCode.Gone, old.Status);
        Assert.Equal("fullSyncRequired", old.Reason);
    }

    [Fact]
    public async Task Changing_only_reminders_keeps_updated_but_other_changes_move_it()
    {
        var user = await fixture.NewUserAsync();
        var created = await user.InsertAsync("Remind me", Start);
        var path = $"{user.Events}/{created["id"]}";
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));

        var reminders = await user.PatchAsync(path, new { reminders = new { useDefault = false, overrides = new[] { new { method = "email", minutes = 30 } } } });
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var renamed = await user.PatchAsync(path, new { summary = "Renamed" });

        Assert.Equal(created["updated"]!.GetValue<string>(), reminders.Json!["updated"]!.GetValue<string>());
        Assert.NotEqual(created["etag"]!.GetValue<string>(), reminders.Json["etag"]!.GetValue<string>());
        Assert.NotEqual(created["updated"]!.GetValue<string>(), renamed.Json!["updated"]!.GetValue<string>());
    }

    [Fact]
    public async Task Access_tokens_expire_after_an_hour()
    {
        var user = await fixture.NewUserAsync();

        var before = await user.GetAsync("calendar/v3/colors");
        fixture.Clock.Advance(TimeSpan.FromSeconds(3600));
        var after = await user.GetAsync("calendar/v3/colors");

        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
    }
}
