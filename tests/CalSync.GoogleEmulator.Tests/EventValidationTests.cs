using System.Net;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Tests.Kit;

namespace CalSync.GoogleEmulator.Tests;

public sealed class EventValidationTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Theory]
    [InlineData("abc")]
    [InlineData("UPPERCASE123")]
    [InlineData("has-dash-123")]
    [InlineData("wxyz12345")]
    public async Task Invalid_client_ids_are_400_invalid(string id)
    {
        var user = await fixture.NewUserAsync();

        var reply = await user.PostAsync(user.Events, Bodies.Timed("x", id));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("invalid", reply.Reason);
    }

    [Fact]
    public async Task Missing_times_and_bad_bodies_are_400()
    {
        var user = await fixture.NewUserAsync();

        var noEnd = await user.PostAsync(user.Events, new { summary = "x", start = new { dateTime = "2030-01-01T10:00:00Z" } });
        var mixed = await user.PostAsync(user.Events, new { start = new { date = "2030-01-01" }, end = new { dateTime = "2030-01-01T10:00:00Z" } });
        var backwards = await user.PostAsync(user.Events, new { start = new { dateTime = "2030-01-01T10:00:00Z" }, end = new { dateTime = "2030-01-01T09:00:00Z" } });
        var noZone = await user.PostAsync(user.Events, new { start = new { dateTime = "2030-01-01T10:00:00" }, end = new { dateTime = "2030-01-01T11:00:00" } });
        var garbage = await user.PostAsync(user.Events, "{not json");

        Assert.Equal(("required", HttpStatusCode.BadRequest), (noEnd.Reason, noEnd.Status));
        Assert.Equal(HttpStatusCode.BadRequest, mixed.Status);
        Assert.Equal("timeRangeEmpty", backwards.Reason);
        Assert.Equal("required", noZone.Reason);
        Assert.Equal("parseError", garbage.Reason);
    }

    [Fact]
    public async Task Status_event_types_only_on_primary_and_type_properties_only_on_their_type()
    {
        var user = await fixture.NewUserAsync();
        var secondary = await fixture.NewCalendarAsync(user);
        var secondaryEvents = $"calendar/v3/calendars/{Uri.EscapeDataString(secondary)}/events";

        var onPrimary = await user.PostAsync(user.Events, TypedBody("outOfOffice", "outOfOfficeProperties"));
        var focus = await user.PostAsync(user.Events, TypedBody("focusTime", "focusTimeProperties"));
        var onSecondary = await user.PostAsync(secondaryEvents, TypedBody("outOfOffice", "outOfOfficeProperties"));
        var propsOnDefault = await user.PostAsync(user.Events, TypedBody("default", "outOfOfficeProperties"));
        var fromGmail = await user.PostAsync(user.Events, TypedBody("fromGmail", null));
        var changeType = await user.PatchAsync($"{user.Events}/{onPrimary.Json!["id"]}", new { eventType = "default" });

        Assert.Equal(HttpStatusCode.OK, onPrimary.Status);
        Assert.Equal("outOfOffice", onPrimary.Json!["eventType"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, focus.Status);
        Assert.Equal(HttpStatusCode.BadRequest, onSecondary.Status);
        Assert.Equal(HttpStatusCode.BadRequest, propsOnDefault.Status);
        Assert.Equal(HttpStatusCode.BadRequest, fromGmail.Status);
        Assert.Equal(HttpStatusCode.BadRequest, changeType.Status);
    }

    [Theory]
    [InlineData("outOfOffice", "outOfOfficeProperties")]
    [InlineData("focusTime", "focusTimeProperties")]
    public async Task Out_of_office_and_focus_time_are_timed_and_carry_their_properties(string type, string property)
    {
        // Google's calendar-status guide: these events need their properties (even empty) and cannot be all-day.
        var user = await fixture.NewUserAsync();
        var allDay = new JsonObject
        {
            ["summary"] = "Away", ["eventType"] = type, [property] = new JsonObject(),
            ["start"] = new JsonObject { ["date"] = "2030-01-07" }, ["end"] = new JsonObject { ["date"] = "2030-01-08" },
        };
        var bare = Bodies.Timed("Away");
        bare["eventType"] = type;

        var allDayReply = await user.PostAsync(user.Events, allDay);
        var bareReply = await user.PostAsync(user.Events, bare);
        var timed = await user.PostAsync(user.Events, TypedBody(type, property));
        var id = timed.Json!["id"]!.GetValue<string>();
        var madeAllDay = await user.PatchAsync($"{user.Events}/{id}", new { start = new { date = "2030-01-07" }, end = new { date = "2030-01-08" } });
        var replaced = Bodies.Timed("Still away");
        replaced["eventType"] = type;
        var withoutProperties = await user.PutAsync($"{user.Events}/{id}", replaced);
        replaced[property] = new JsonObject();
        var withProperties = await user.PutAsync($"{user.Events}/{id}", replaced);

        Assert.Equal(HttpStatusCode.BadRequest, allDayReply.Status);
        Assert.Equal(HttpStatusCode.BadRequest, bareReply.Status);
        Assert.Equal(HttpStatusCode.OK, timed.Status);
        Assert.Equal(HttpStatusCode.BadRequest, madeAllDay.Status);
        Assert.Equal(HttpStatusCode.BadRequest, withoutProperties.Status);
        Assert.Equal(HttpStatusCode.OK, withProperties.Status);
    }

    [Theory]
    [InlineData("colorId", "12")]
    [InlineData("transparency", "see-through")]
    [InlineData("visibility", "secret")]
    [InlineData("status", "maybe")]
    public async Task Invalid_enum_values_are_400(string field, string value)
    {
        var user = await fixture.NewUserAsync();
        var body = Bodies.Timed("enum");
        body[field] = value;

        var reply = await user.PostAsync(user.Events, body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("invalid", reply.Reason);
    }

    [Fact]
    public async Task Reminder_minutes_attendees_without_email_and_unknown_send_updates_are_400()
    {
        var user = await fixture.NewUserAsync();
        var farReminder = Bodies.Timed("far");
        farReminder["reminders"] = new JsonObject
        {
            ["useDefault"] = false,
            ["overrides"] = new JsonArray(new JsonObject { ["method"] = "popup", ["minutes"] = 40321 }),
        };
        var nameless = Bodies.Timed("nameless");
        nameless["attendees"] = new JsonArray(new JsonObject { ["displayName"] = "No mail" });
        var badAddress = Bodies.Timed("bad address");
        badAddress["attendees"] = new JsonArray(new JsonObject { ["email"] = "not-an-email" });

        var far = await user.PostAsync(user.Events, farReminder);
        var noEmail = await user.PostAsync(user.Events, nameless);
        var notAnAddress = await user.PostAsync(user.Events, badAddress);
        var badSend = await user.PostAsync(user.Events + "?sendUpdates=everyone", Bodies.Timed("send"));
        var goodSend = await user.PostAsync(user.Events + "?sendUpdates=none", Bodies.Timed("send"));

        Assert.Equal(HttpStatusCode.BadRequest, far.Status);
        Assert.Equal(HttpStatusCode.BadRequest, noEmail.Status);
        Assert.Equal(HttpStatusCode.BadRequest, notAnAddress.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badSend.Status);
        Assert.Equal(HttpStatusCode.OK, goodSend.Status);
    }

    [Fact]
    public async Task Reminders_overrides_with_use_default_or_more_than_five_are_400_and_valid_ones_are_kept()
    {
        var user = await fixture.NewUserAsync();
        JsonObject Reminders(bool useDefault, int count)
        {
            var body = Bodies.Timed("reminders");
            body["reminders"] = new JsonObject
            {
                ["useDefault"] = useDefault,
                ["overrides"] = new JsonArray([.. Enumerable.Range(1, count).Select(i => (JsonNode)new JsonObject { ["method"] = "popup", ["minutes"] = i })]),
            };
            return body;
        }

        var both = await user.PostAsync(user.Events, Reminders(true, 1));
        var six = await user.PostAsync(user.Events, Reminders(false, 6));
        var five = await user.PostAsync(user.Events, Reminders(false, 5));

        Assert.Equal(HttpStatusCode.BadRequest, both.Status);
        Assert.Equal(HttpStatusCode.BadRequest, six.Status);
        Assert.Equal(5, five.Json!["reminders"]!["overrides"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("""{"start":{"dateTime":123},"end":{"dateTime":"2030-05-01T11:00:00Z"}}""")]
    [InlineData("""{"start":"tomorrow","end":{"dateTime":"2030-05-01T11:00:00Z"}}""")]
    [InlineData("""{"reminders":"none","start":{"dateTime":"2030-05-01T10:00:00Z"},"end":{"dateTime":"2030-05-01T11:00:00Z"}}""")]
    [InlineData("""{"extendedProperties":"x","start":{"dateTime":"2030-05-01T10:00:00Z"},"end":{"dateTime":"2030-05-01T11:00:00Z"}}""")]
    [InlineData("""{"extendedProperties":{"private":{"k":5}},"start":{"dateTime":"2030-05-01T10:00:00Z"},"end":{"dateTime":"2030-05-01T11:00:00Z"}}""")]
    [InlineData("""{"start":{"dateTime":"2030-05-01T10:00:00Z","timeZone":7},"end":{"dateTime":"2030-05-01T11:00:00Z"}}""")]
    [InlineData("""{"recurrence":"RRULE:FREQ=DAILY","start":{"dateTime":"2030-05-01T10:00:00Z"},"end":{"dateTime":"2030-05-01T11:00:00Z"}}""")]
    [InlineData("""[1,2,3]""")]
    public async Task Wrongly_typed_bodies_are_4xx_never_500(string body)
    {
        var user = await fixture.NewUserAsync();

        var reply = await user.PostAsync(user.Events, body);

        Assert.InRange((int)reply.Status, 400, 499);
    }

    private static JsonObject TypedBody(string type, string? property)
    {
        var body = Bodies.Timed(type);
        body["eventType"] = type;
        if (property is not null)
        {
            body[property] = new JsonObject { ["autoDeclineMode"] = "declineNone" };
        }

        return body;
    }
}
