using System.Net;
using System.Net.Http.Json;
using CalSync.GoogleEmulator.Tests.Kit;

namespace CalSync.GoogleEmulator.Tests;

public sealed class CalendarsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Calendar_list_holds_primary_first_and_secondary_calendars()
    {
        var user = await fixture.NewUserAsync();
        var secondary = await fixture.NewCalendarAsync(user, "Family", "Europe/Berlin");

        var list = await user.GetAsync("calendar/v3/users/me/calendarList");
        var primary = await user.GetAsync("calendar/v3/users/me/calendarList/primary");
        var entry = await user.GetAsync($"calendar/v3/users/me/calendarList/{Uri.EscapeDataString(secondary)}");
        var calendar = await user.GetAsync($"calendar/v3/calendars/{Uri.EscapeDataString(secondary)}");

        Assert.Equal("calendar#calendarList", list.Json!["kind"]!.GetValue<string>());
        Assert.Equal([user.Email, secondary], list.ItemIds);
        Assert.NotNull(list.Json["nextSyncToken"]);
        Assert.True(primary.Json!["primary"]!.GetValue<bool>());
        Assert.Equal("owner", primary.Json["accessRole"]!.GetValue<string>());
        Assert.EndsWith("@group.calendar.google.com", secondary, StringComparison.Ordinal);
        Assert.Equal("Family", entry.Json!["summary"]!.GetValue<string>());
        Assert.Null(entry.Json["primary"]);
        Assert.Equal("calendar#calendar", calendar.Json!["kind"]!.GetValue<string>());
        Assert.Equal("Europe/Berlin", calendar.Json["timeZone"]!.GetValue<string>());
    }

    [Fact]
    public async Task Shared_read_only_calendar_lists_reader_access_and_refuses_writes_with_403()
    {
        var owner = await fixture.NewUserAsync("owner");
        var reader = await fixture.NewUserAsync("reader");
        var writer = await fixture.NewUserAsync("writer");
        var calendar = await fixture.NewCalendarAsync(owner);
        var events = $"calendar/v3/calendars/{Uri.EscapeDataString(calendar)}/events";
        using (var share = await fixture.Http.PostAsJsonAsync($"emulator/calendars/{Uri.EscapeDataString(calendar)}/acl", new { email = reader.Email, role = "reader" }))
        {
            share.EnsureSuccessStatusCode();
        }

        using (var share = await fixture.Http.PostAsJsonAsync($"emulator/calendars/{Uri.EscapeDataString(calendar)}/acl", new { email = writer.Email, role = "writer" }))
        {
            share.EnsureSuccessStatusCode();
        }

        var entry = await reader.GetAsync($"calendar/v3/users/me/calendarList/{Uri.EscapeDataString(calendar)}");
        var read = await reader.GetAsync(events);
        var write = await reader.PostAsync(events, Bodies.Timed("nope"));
        var writerWrite = await writer.PostAsync(events, Bodies.Timed("yes"));
        var writerRole = await writer.GetAsync($"calendar/v3/users/me/calendarList?minAccessRole=writer");

        Assert.Equal("reader", entry.Json!["accessRole"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal("reader", read.Json!["accessRole"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, write.Status);
        Assert.Equal("requiredAccessLevel", write.Reason);
        Assert.Equal(HttpStatusCode.OK, writerWrite.Status);
        Assert.Contains(calendar, writerRole.ItemIds);
    }

    [Fact]
    public async Task Colors_has_google_palettes()
    {
        var user = await fixture.NewUserAsync();

        var colors = await user.GetAsync("calendar/v3/colors");

        Assert.Equal("calendar#colors", colors.Json!["kind"]!.GetValue<string>());
        Assert.Equal(11, colors.Json["event"]!.AsObject().Count);
        Assert.Equal(24, colors.Json["calendar"]!.AsObject().Count);
        Assert.Equal("#a4bdfc", colors.Json["event"]!["1"]!["background"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_calendar_is_404()
    {
        var user = await fixture.NewUserAsync();

        var reply = await user.GetAsync("calendar/v3/calendars/nobody%40example.com");

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("notFound", reply.Reason);
    }
}
