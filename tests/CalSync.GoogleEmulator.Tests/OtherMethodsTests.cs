using System.Net;
using CalSync.GoogleEmulator.Tests.Kit;

namespace CalSync.GoogleEmulator.Tests;

/// <summary>The Calendar methods beyond the sync engine's needs: calendars, calendarList writes, import/move/quickAdd, freeBusy, settings, acl.</summary>
public sealed class OtherMethodsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Calendars_insert_patch_and_delete_and_the_primary_cannot_be_deleted()
    {
        var user = await fixture.NewUserAsync();

        var created = await user.PostAsync("calendar/v3/calendars", new { summary = "Projects", timeZone = "Europe/Paris" });
        var id = Uri.EscapeDataString(created.Json!["id"]!.GetValue<string>());
        var patched = await user.PatchAsync($"calendar/v3/calendars/{id}", new { description = "All projects" });
        var listed = await user.GetAsync("calendar/v3/users/me/calendarList");
        var deleted = await user.DeleteAsync($"calendar/v3/calendars/{id}");
        var gone = await user.GetAsync($"calendar/v3/calendars/{id}");
        var primary = await user.DeleteAsync($"calendar/v3/calendars/{Uri.EscapeDataString(user.Email)}");
        var noSummary = await user.PostAsync("calendar/v3/calendars", new { timeZone = "Europe/Paris" });

        Assert.Equal("calendar#calendar", created.Json["kind"]!.GetValue<string>());
        Assert.Equal("All projects", patched.Json!["description"]!.GetValue<string>());
        Assert.Equal("Projects", patched.Json["summary"]!.GetValue<string>());
        Assert.Contains(created.Json["id"]!.GetValue<string>(), listed.ItemIds);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Equal(HttpStatusCode.BadRequest, primary.Status);
        Assert.Equal(HttpStatusCode.BadRequest, noSummary.Status);
    }

    [Fact]
    public async Task Calendar_list_entries_take_per_account_settings_and_can_be_removed()
    {
        var user = await fixture.NewUserAsync();
        var calendar = Uri.EscapeDataString(await fixture.NewCalendarAsync(user));

        var token = (await user.GetAsync("calendar/v3/users/me/calendarList")).Json!["nextSyncToken"]!.GetValue<string>();
        var patched = await user.PatchAsync($"calendar/v3/users/me/calendarList/{calendar}", new { summaryOverride = "Mine", colorId = "3", hidden = true });
        var removed = await user.DeleteAsync($"calendar/v3/users/me/calendarList/{calendar}");
        var list = await user.GetAsync("calendar/v3/users/me/calendarList");
        var changes = await user.GetAsync($"calendar/v3/users/me/calendarList?syncToken={Uri.EscapeDataString(token)}");
        var readded = await user.PostAsync("calendar/v3/users/me/calendarList", new { id = Uri.UnescapeDataString(calendar) });

        Assert.Equal("Mine", patched.Json!["summaryOverride"]!.GetValue<string>());
        Assert.Equal("3", patched.Json["colorId"]!.GetValue<string>());
        Assert.True(patched.Json["hidden"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NoContent, removed.Status);
        Assert.DoesNotContain(Uri.UnescapeDataString(calendar), list.ItemIds);
        Assert.True(changes.Items.Single()!["deleted"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, readded.Status);
    }

    [Fact]
    public async Task Import_is_idempotent_per_ical_uid_and_move_leaves_a_tombstone()
    {
        var user = await fixture.NewUserAsync();
        var target = await fixture.NewCalendarAsync(user);
        var import = Bodies.Timed("Imported");
        import["iCalUID"] = $"{Guid.NewGuid():N}@elsewhere.example.com";

        var first = await user.PostAsync($"{user.Events}/import", import);
        import["summary"] = "Imported again";
        var second = await user.PostAsync($"{user.Events}/import", import);
        var noUid = await user.PostAsync($"{user.Events}/import", Bodies.Timed("No uid"));
        var id = first.Json!["id"]!.GetValue<string>();
        var moved = await user.PostAsync($"{user.Events}/{id}/move?destination={Uri.EscapeDataString(target)}", null);
        var source = await user.GetAsync($"{user.Events}/{id}");
        var quick = await user.PostAsync($"{user.Events}/quickAdd?text={Uri.EscapeDataString("Lunch with Bob")}", null);

        Assert.Equal(id, second.Json!["id"]!.GetValue<string>());
        Assert.Equal("Imported again", second.Json["summary"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, noUid.Status);
        Assert.Equal(HttpStatusCode.OK, moved.Status);
        Assert.Equal(target, moved.Json!["organizer"]!["email"]!.GetValue<string>());
        Assert.Equal("cancelled", source.Json!["status"]!.GetValue<string>());
        Assert.Equal("Lunch with Bob", quick.Json!["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task Free_busy_merges_busy_periods_skips_transparent_events_and_reports_unknown_calendars()
    {
        var user = await fixture.NewUserAsync();
        var day = new DateTimeOffset(2030, 8, 1, 9, 0, 0, TimeSpan.Zero);
        await user.InsertAsync("A", day);                                   // 09:00-10:00
        await user.InsertAsync("B", day.AddMinutes(30));                    // 09:30-10:30
        await user.InsertAsync("Free", day.AddHours(3), e => e["transparency"] = "transparent");
        await user.InsertAsync("C", day.AddHours(5));                       // 14:00-15:00

        var reply = await user.PostAsync("calendar/v3/freeBusy", new
        {
            timeMin = "2030-08-01T00:00:00Z", timeMax = "2030-08-02T00:00:00Z",
            items = new[] { new { id = user.Email }, new { id = "nobody@example.com" } },
        });

        var busy = reply.Json!["calendars"]![user.Email]!["busy"]!.AsArray();
        Assert.Equal(2, busy.Count);
        Assert.Equal("2030-08-01T09:00:00Z", busy[0]!["start"]!.GetValue<string>());
        Assert.Equal("2030-08-01T10:30:00Z", busy[0]!["end"]!.GetValue<string>());
        Assert.Equal("notFound", reply.Json["calendars"]!["nobody@example.com"]!["errors"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Settings_and_acl()
    {
        var owner = await fixture.NewUserAsync("owner");
        var guest = await fixture.NewUserAsync("guest");
        var calendar = Uri.EscapeDataString(await fixture.NewCalendarAsync(owner));

        var timezone = await owner.GetAsync("calendar/v3/users/me/settings/timezone");
        var settings = await owner.GetAsync("calendar/v3/users/me/settings");
        var inserted = await owner.PostAsync($"calendar/v3/calendars/{calendar}/acl", new { role = "writer", scope = new { type = "user", value = guest.Email } });
        var guestView = await guest.GetAsync($"calendar/v3/users/me/calendarList/{calendar}");
        var rules = await owner.GetAsync($"calendar/v3/calendars/{calendar}/acl");
        var guestList = await guest.GetAsync($"calendar/v3/calendars/{calendar}/acl");
        var ownRule = await owner.DeleteAsync($"calendar/v3/calendars/{calendar}/acl/user:{Uri.EscapeDataString(owner.Email)}");
        var removed = await owner.DeleteAsync($"calendar/v3/calendars/{calendar}/acl/user:{Uri.EscapeDataString(guest.Email)}");
        var afterRemoval = await guest.GetAsync($"calendar/v3/calendars/{calendar}/events");

        Assert.Equal("UTC", timezone.Json!["value"]!.GetValue<string>());
        Assert.Contains("timezone", settings.ItemIds);
        Assert.Equal("user:" + guest.Email, inserted.Json!["id"]!.GetValue<string>());
        Assert.Equal("writer", guestView.Json!["accessRole"]!.GetValue<string>());
        Assert.Equal(2, rules.Items.Count);
        Assert.Equal(HttpStatusCode.Forbidden, guestList.Status);
        Assert.Equal(HttpStatusCode.Forbidden, ownRule.Status);
        Assert.Equal(HttpStatusCode.NoContent, removed.Status);
        Assert.Equal(HttpStatusCode.NotFound, afterRemoval.Status);
    }
}
