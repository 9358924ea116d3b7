using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Tests.Kit;

namespace CalSync.GoogleEmulator.Tests;

/// <summary>Organizers and invitations: an event with attendees who have accounts appears on each attendee's primary calendar.</summary>
public sealed class InvitationTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly DateTimeOffset Noon = new(2030, 6, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_organizer_copy_names_organizer_creator_and_attendees_as_seen_by_the_organizer()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");

        var created = await alice.InsertAsync("Planning", Noon, e =>
        {
            e["attendees"] = Attendees(alice.Email, bob.Email, "external@elsewhere.example.com");
            e["guestsCanInviteOthers"] = false;
            e["guestsCanSeeOtherGuests"] = false;
        });

        Assert.Equal(alice.Email, created["organizer"]!["email"]!.GetValue<string>());
        Assert.True(created["organizer"]!["self"]!.GetValue<bool>());
        Assert.Equal(alice.Email, created["creator"]!["email"]!.GetValue<string>());
        Assert.True(created["creator"]!["self"]!.GetValue<bool>());
        var me = Attendee(created, alice.Email);
        Assert.True(me["self"]!.GetValue<bool>());
        Assert.True(me["organizer"]!.GetValue<bool>());
        Assert.Equal("accepted", me["responseStatus"]!.GetValue<string>());
        Assert.Equal("needsAction", Attendee(created, bob.Email)["responseStatus"]!.GetValue<string>());
        Assert.Null(Attendee(created, bob.Email)["self"]);
        Assert.Null(Attendee(created, bob.Email)["organizer"]);
        Assert.Equal("needsAction", Attendee(created, "external@elsewhere.example.com")["responseStatus"]!.GetValue<string>());
        Assert.False(created["guestsCanInviteOthers"]!.GetValue<bool>());
        Assert.False(created["guestsCanSeeOtherGuests"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_invitation_appears_on_the_attendees_primary_calendar_with_the_same_id_and_ical_uid()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");

        var created = await alice.InsertAsync("Planning", Noon, e => e["attendees"] = Attendees(alice.Email, bob.Email));
        var id = created["id"]!.GetValue<string>();
        var copy = await bob.GetAsync($"{bob.Events}/{id}");
        var listed = await bob.GetAsync(bob.Events);

        Assert.Equal(HttpStatusCode.OK, copy.Status);
        Assert.Equal(created["iCalUID"]!.GetValue<string>(), copy.Json!["iCalUID"]!.GetValue<string>());
        Assert.Equal("Planning", copy.Json["summary"]!.GetValue<string>());
        Assert.Equal(alice.Email, copy.Json["organizer"]!["email"]!.GetValue<string>());
        Assert.NotEqual(true, copy.Json["organizer"]!["self"]?.GetValue<bool>());
        Assert.NotEqual(true, copy.Json["creator"]!["self"]?.GetValue<bool>());
        Assert.True(Attendee(copy.Json, bob.Email)["self"]!.GetValue<bool>());
        Assert.Equal("needsAction", Attendee(copy.Json, bob.Email)["responseStatus"]!.GetValue<string>());
        Assert.Null(Attendee(copy.Json, alice.Email)["self"]);
        Assert.True(Attendee(copy.Json, alice.Email)["organizer"]!.GetValue<bool>());
        Assert.Equal([id], listed.ItemIds);
    }

    [Fact]
    public async Task An_organizer_change_reaches_the_attendee_copy_with_a_new_etag_in_its_change_feed()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var id = (await alice.InsertAsync("Planning", Noon, e => e["attendees"] = Attendees(bob.Email)))["id"]!.GetValue<string>();
        var before = await bob.GetAsync($"{bob.Events}/{id}");
        var token = (await bob.GetAsync(bob.Events)).Json!["nextSyncToken"]!.GetValue<string>();

        var patched = await alice.PatchAsync($"{alice.Events}/{id}", new { summary = "Planning (moved)", location = "Room 2" });
        var changes = await bob.GetAsync($"{bob.Events}?syncToken={Uri.EscapeDataString(token)}");

        Assert.Equal(HttpStatusCode.OK, patched.Status);
        var changed = Assert.Single(changes.Items)!;
        Assert.Equal(id, changed["id"]!.GetValue<string>());
        Assert.Equal("Planning (moved)", changed["summary"]!.GetValue<string>());
        Assert.Equal("Room 2", changed["location"]!.GetValue<string>());
        Assert.NotEqual(before.Json!["etag"]!.GetValue<string>(), changed["etag"]!.GetValue<string>());
        Assert.True(Attendee(changed, bob.Email)["self"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Deleting_by_the_organizer_cancels_the_event_for_attendees()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var id = (await alice.InsertAsync("Planning", Noon, e => e["attendees"] = Attendees(bob.Email)))["id"]!.GetValue<string>();
        var token = (await bob.GetAsync(bob.Events)).Json!["nextSyncToken"]!.GetValue<string>();

        var deleted = await alice.DeleteAsync($"{alice.Events}/{id}");
        var copy = await bob.GetAsync($"{bob.Events}/{id}");
        var changes = await bob.GetAsync($"{bob.Events}?syncToken={Uri.EscapeDataString(token)}");
        var listed = await bob.GetAsync(bob.Events);

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal("cancelled", copy.Json!["status"]!.GetValue<string>());
        Assert.Equal("cancelled", Assert.Single(changes.Items)!["status"]!.GetValue<string>());
        Assert.Empty(listed.Items);
    }

    [Fact]
    public async Task A_guest_changing_the_summary_without_guests_can_modify_is_403_forbidden_for_non_organizer()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var id = (await alice.InsertAsync("Planning", Noon, e => e["attendees"] = Attendees(bob.Email)))["id"]!.GetValue<string>();
        var copy = (await bob.GetAsync($"{bob.Events}/{id}")).Json!.AsObject();
        copy["start"] = new JsonObject { ["dateTime"] = "2030-06-03T15:00:00Z" };
        copy["end"] = new JsonObject { ["dateTime"] = "2030-06-03T16:00:00Z" };

        var patched = await bob.PatchAsync($"{bob.Events}/{id}", new { summary = "Mine now" });
        var updated = await bob.PutAsync($"{bob.Events}/{id}", copy);
        var organizerCopy = await alice.GetAsync($"{alice.Events}/{id}");
        var guestCopy = await bob.GetAsync($"{bob.Events}/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, patched.Status);
        Assert.Equal("forbiddenForNonOrganizer", patched.Reason);
        Assert.Equal("calendar", patched.Json!["error"]!["errors"]![0]!["domain"]!.GetValue<string>());
        Assert.Equal(403, patched.Json["error"]!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, updated.Status);
        Assert.Equal("forbiddenForNonOrganizer", updated.Reason);
        Assert.Equal("Planning", organizerCopy.Json!["summary"]!.GetValue<string>());
        Assert.Equal("Planning", guestCopy.Json!["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_guest_may_answer_and_set_its_own_reminders_colour_and_private_properties()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var carol = await fixture.NewUserAsync("carol");
        var id = (await alice.InsertAsync("Planning", Noon, e => e["attendees"] = Attendees(alice.Email, bob.Email, carol.Email)))["id"]!.GetValue<string>();
        var aliceBefore = (await alice.GetAsync($"{alice.Events}/{id}")).Json!;
        var attendees = (JsonArray)aliceBefore["attendees"]!.DeepClone();
        attendees.OfType<JsonObject>().Single(a => a["email"]!.GetValue<string>() == bob.Email)["responseStatus"] = "accepted";

        var answered = await bob.PatchAsync($"{bob.Events}/{id}", new JsonObject
        {
            ["attendees"] = attendees,
            ["reminders"] = new JsonObject { ["useDefault"] = false, ["overrides"] = new JsonArray(new JsonObject { ["method"] = "popup", ["minutes"] = 5 }) },
            ["colorId"] = "4",
            ["extendedProperties"] = new JsonObject { ["private"] = new JsonObject { ["mine"] = "yes" } },
        });
        var aliceAfter = (await alice.GetAsync($"{alice.Events}/{id}")).Json!;
        var carolCopy = (await carol.GetAsync($"{carol.Events}/{id}")).Json!;

        Assert.Equal(HttpStatusCode.OK, answered.Status);
        Assert.Equal("accepted", Attendee(answered.Json!, bob.Email)["responseStatus"]!.GetValue<string>());
        Assert.Equal("4", answered.Json!["colorId"]!.GetValue<string>());
        Assert.Equal("yes", answered.Json["extendedProperties"]!["private"]!["mine"]!.GetValue<string>());
        Assert.Equal("accepted", Attendee(aliceAfter, bob.Email)["responseStatus"]!.GetValue<string>());
        Assert.NotEqual(aliceBefore["etag"]!.GetValue<string>(), aliceAfter["etag"]!.GetValue<string>());
        Assert.Null(aliceAfter["colorId"]);
        Assert.True(aliceAfter["reminders"]!["useDefault"]!.GetValue<bool>());
        Assert.Null(aliceAfter["extendedProperties"]?["private"]?["mine"]);
        Assert.Equal("accepted", Attendee(carolCopy, bob.Email)["responseStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_reminders_only_change_by_a_guest_stays_on_its_own_copy()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var id = (await alice.InsertAsync("Planning", Noon, e => e["attendees"] = Attendees(bob.Email)))["id"]!.GetValue<string>();
        var token = (await alice.GetAsync(alice.Events)).Json!["nextSyncToken"]!.GetValue<string>();

        var changed = await bob.PatchAsync($"{bob.Events}/{id}", new { reminders = new { useDefault = false } });
        var aliceChanges = await alice.GetAsync($"{alice.Events}?syncToken={Uri.EscapeDataString(token)}");

        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.Empty(aliceChanges.Items);
    }

    [Fact]
    public async Task With_guests_can_modify_a_guest_may_change_the_event_for_everyone()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var carol = await fixture.NewUserAsync("carol");
        var id = (await alice.InsertAsync("Planning", Noon, e =>
        {
            e["attendees"] = Attendees(bob.Email, carol.Email);
            e["guestsCanModify"] = true;
        }))["id"]!.GetValue<string>();

        var patched = await bob.PatchAsync($"{bob.Events}/{id}", new { summary = "Planning, by Bob" });
        var aliceCopy = (await alice.GetAsync($"{alice.Events}/{id}")).Json!;
        var carolCopy = (await carol.GetAsync($"{carol.Events}/{id}")).Json!;

        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.True(patched.Json!["guestsCanModify"]!.GetValue<bool>());
        Assert.Equal("Planning, by Bob", aliceCopy["summary"]!.GetValue<string>());
        Assert.True(aliceCopy["organizer"]!["self"]!.GetValue<bool>());
        Assert.Equal("Planning, by Bob", carolCopy["summary"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.OK)]
    [InlineData(false, HttpStatusCode.Forbidden)]
    public async Task A_guest_may_invite_others_unless_guests_can_invite_others_is_false(bool? canInvite, HttpStatusCode expected)
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var dave = await fixture.NewUserAsync("dave");
        var id = (await alice.InsertAsync("Planning", Noon, e =>
        {
            e["attendees"] = Attendees(bob.Email);
            if (canInvite is { } value)
            {
                e["guestsCanInviteOthers"] = value;
            }
        }))["id"]!.GetValue<string>();
        var attendees = (JsonArray)(await bob.GetAsync($"{bob.Events}/{id}")).Json!["attendees"]!.DeepClone();
        attendees.Add(new JsonObject { ["email"] = dave.Email });

        var invited = await bob.PatchAsync($"{bob.Events}/{id}", new JsonObject { ["attendees"] = attendees });
        var daveCopy = await dave.GetAsync($"{dave.Events}/{id}");
        var aliceCopy = (await alice.GetAsync($"{alice.Events}/{id}")).Json!;

        Assert.Equal(expected, invited.Status);
        Assert.Equal(expected == HttpStatusCode.OK ? HttpStatusCode.OK : HttpStatusCode.NotFound, daveCopy.Status);
        Assert.Equal(expected == HttpStatusCode.OK ? 2 : 1, aliceCopy["attendees"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_guest_cannot_move_its_copy_to_another_calendar()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var bobsOther = await fixture.NewCalendarAsync(bob, "Other");
        var id = (await alice.InsertAsync("Planning", Noon, e => e["attendees"] = Attendees(bob.Email)))["id"]!.GetValue<string>();

        var moved = await bob.PostAsync($"{bob.Events}/{id}/move?destination={Uri.EscapeDataString(bobsOther)}", null);

        Assert.Equal(HttpStatusCode.Forbidden, moved.Status);
        Assert.Equal("forbiddenForNonOrganizer", moved.Reason);
    }

    [Fact]
    public async Task A_guest_deleting_removes_only_its_own_copy_and_declines()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var carol = await fixture.NewUserAsync("carol");
        var id = (await alice.InsertAsync("Planning", Noon, e => e["attendees"] = Attendees(bob.Email, carol.Email)))["id"]!.GetValue<string>();

        var deleted = await bob.DeleteAsync($"{bob.Events}/{id}");
        var bobCopy = (await bob.GetAsync($"{bob.Events}/{id}")).Json!;
        var aliceCopy = (await alice.GetAsync($"{alice.Events}/{id}")).Json!;
        var carolCopy = (await carol.GetAsync($"{carol.Events}/{id}")).Json!;
        await alice.PatchAsync($"{alice.Events}/{id}", new { summary = "Planning v2" });
        var bobAfterChange = (await bob.GetAsync($"{bob.Events}/{id}")).Json!;

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal("cancelled", bobCopy["status"]!.GetValue<string>());
        Assert.Equal("declined", Attendee(bobCopy, bob.Email)["responseStatus"]!.GetValue<string>());
        Assert.Equal("confirmed", aliceCopy["status"]!.GetValue<string>());
        Assert.Equal("declined", Attendee(aliceCopy, bob.Email)["responseStatus"]!.GetValue<string>());
        Assert.Equal("confirmed", carolCopy["status"]!.GetValue<string>());
        Assert.Equal("declined", Attendee(carolCopy, bob.Email)["responseStatus"]!.GetValue<string>());
        Assert.Equal("cancelled", bobAfterChange["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_guest_that_removed_the_event_and_accepts_again_gets_it_back_without_touching_the_organizer_status()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var id = (await alice.InsertAsync("Planning", Noon, e => e["attendees"] = Attendees(bob.Email)))["id"]!.GetValue<string>();
        await bob.DeleteAsync($"{bob.Events}/{id}");
        var attendees = (JsonArray)(await bob.GetAsync($"{bob.Events}/{id}")).Json!["attendees"]!.DeepClone();
        attendees.OfType<JsonObject>().Single(a => a["self"] is not null)["responseStatus"] = "accepted";

        var answered = await bob.PatchAsync($"{bob.Events}/{id}", new JsonObject { ["attendees"] = attendees });
        var aliceCopy = (await alice.GetAsync($"{alice.Events}/{id}")).Json!;

        Assert.Equal(HttpStatusCode.OK, answered.Status);
        Assert.Equal("confirmed", answered.Json!["status"]!.GetValue<string>());
        Assert.Equal("confirmed", aliceCopy["status"]!.GetValue<string>());
        Assert.Equal("accepted", Attendee(aliceCopy, bob.Email)["responseStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_guest_answering_on_its_removed_copy_does_not_cancel_the_event_for_the_organizer()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var id = (await alice.InsertAsync("Planning", Noon, e => e["attendees"] = Attendees(bob.Email)))["id"]!.GetValue<string>();
        await bob.DeleteAsync($"{bob.Events}/{id}");
        var attendees = (JsonArray)(await bob.GetAsync($"{bob.Events}/{id}")).Json!["attendees"]!.DeepClone();
        attendees.OfType<JsonObject>().Single(a => a["self"] is not null)["comment"] = "sorry";

        var commented = await bob.PatchAsync($"{bob.Events}/{id}", new JsonObject { ["attendees"] = attendees });
        var aliceCopy = (await alice.GetAsync($"{alice.Events}/{id}")).Json!;

        Assert.Equal(HttpStatusCode.OK, commented.Status);
        Assert.Equal("cancelled", commented.Json!["status"]!.GetValue<string>());
        Assert.Equal("confirmed", aliceCopy["status"]!.GetValue<string>());
        Assert.Equal("sorry", Attendee(aliceCopy, bob.Email)["comment"]!.GetValue<string>());
    }

    [Fact]
    public async Task Removing_an_attendee_cancels_that_attendees_copy()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var carol = await fixture.NewUserAsync("carol");
        var id = (await alice.InsertAsync("Planning", Noon, e => e["attendees"] = Attendees(bob.Email, carol.Email)))["id"]!.GetValue<string>();

        await alice.PatchAsync($"{alice.Events}/{id}", new { attendees = Attendees(carol.Email) });
        var bobCopy = (await bob.GetAsync($"{bob.Events}/{id}")).Json!;
        var carolCopy = (await carol.GetAsync($"{carol.Events}/{id}")).Json!;

        Assert.Equal("cancelled", bobCopy["status"]!.GetValue<string>());
        Assert.Equal("confirmed", carolCopy["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Adding_an_attendee_later_invites_them_and_an_unknown_response_status_is_400()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var id = (await alice.InsertAsync("Planning", Noon))["id"]!.GetValue<string>();

        var added = await alice.PatchAsync($"{alice.Events}/{id}", new { attendees = Attendees(bob.Email) });
        var bobCopy = await bob.GetAsync($"{bob.Events}/{id}");
        var invalid = await alice.PatchAsync($"{alice.Events}/{id}", new { attendees = new[] { new { email = bob.Email, responseStatus = "maybe" } } });

        Assert.Equal(HttpStatusCode.OK, added.Status);
        Assert.Equal(HttpStatusCode.OK, bobCopy.Status);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
    }

    [Fact]
    public async Task A_series_with_attendees_expands_on_the_attendee_calendar_and_a_cancelled_instance_follows()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var series = await alice.PostAsync(alice.Events, new JsonObject
        {
            ["summary"] = "Weekly",
            ["start"] = new JsonObject { ["dateTime"] = "2030-06-03T10:00:00+02:00", ["timeZone"] = "Europe/Berlin" },
            ["end"] = new JsonObject { ["dateTime"] = "2030-06-03T11:00:00+02:00", ["timeZone"] = "Europe/Berlin" },
            ["recurrence"] = new JsonArray("RRULE:FREQ=WEEKLY;COUNT=3"),
            ["attendees"] = Attendees(bob.Email),
        });
        var id = series.Json!["id"]!.GetValue<string>();

        var cancelled = await alice.DeleteAsync($"{alice.Events}/{id}_20300610T080000Z");
        var instances = await bob.GetAsync($"{bob.Events}?singleEvents=true&orderBy=startTime");

        Assert.Equal(HttpStatusCode.NoContent, cancelled.Status);
        Assert.Equal([$"{id}_20300603T080000Z", $"{id}_20300617T080000Z"], instances.ItemIds);
    }

    [Fact]
    public async Task Clearing_the_organizers_primary_or_deleting_its_secondary_calendar_cancels_the_invitations()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var team = await fixture.NewCalendarAsync(alice, "Team");
        var fromPrimary = (await alice.InsertAsync("Primary meeting", Noon, e => e["attendees"] = Attendees(bob.Email)))["id"]!.GetValue<string>();
        var fromTeam = (await alice.InsertAsync("Team meeting", Noon, e => e["attendees"] = Attendees(bob.Email),
            $"calendar/v3/calendars/{Uri.EscapeDataString(team)}/events"))["id"]!.GetValue<string>();
        var teamCopy = (await bob.GetAsync($"{bob.Events}/{fromTeam}")).Json!;

        var cleared = await alice.PostAsync($"calendar/v3/calendars/{Uri.EscapeDataString(alice.Email)}/clear", null);
        var deleted = await alice.DeleteAsync($"calendar/v3/calendars/{Uri.EscapeDataString(team)}");
        var listed = await bob.GetAsync(bob.Events);

        Assert.Equal(team, teamCopy["organizer"]!["email"]!.GetValue<string>());
        Assert.Equal("Team", teamCopy["organizer"]!["displayName"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, cleared.Status);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Empty(listed.Items);
        Assert.Equal("cancelled", (await bob.GetAsync($"{bob.Events}/{fromPrimary}")).Json!["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("guestsCanModify")]
    [InlineData("guestsCanInviteOthers")]
    [InlineData("guestsCanSeeOtherGuests")]
    public async Task A_guest_permission_that_is_not_a_boolean_is_400(string field)
    {
        var alice = await fixture.NewUserAsync("alice");

        var reply = await alice.PostAsync(alice.Events, new JsonObject
        {
            ["summary"] = "Typed", [field] = "yes",
            ["start"] = new JsonObject { ["dateTime"] = "2030-06-03T12:00:00Z" }, ["end"] = new JsonObject { ["dateTime"] = "2030-06-03T13:00:00Z" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
    }

    [Fact]
    public async Task A_from_gmail_event_planted_through_the_admin_api_allows_only_owner_level_changes()
    {
        var user = await fixture.NewUserAsync();
        using var planted = await fixture.Http.PostAsJsonAsync($"emulator/calendars/{Uri.EscapeDataString(user.Email)}/events", new JsonObject
        {
            ["summary"] = "Flight LH 123",
            ["eventType"] = "fromGmail",
            ["start"] = new JsonObject { ["dateTime"] = "2030-06-05T08:00:00Z" },
            ["end"] = new JsonObject { ["dateTime"] = "2030-06-05T10:00:00Z" },
        });
        var plantedJson = JsonNode.Parse(await planted.Content.ReadAsStringAsync())!;
        var id = plantedJson["id"]!.GetValue<string>();

        var got = await user.GetAsync($"{user.Events}/{id}");
        var allowed = await user.PatchAsync($"{user.Events}/{id}", new JsonObject
        {
            ["colorId"] = "5", ["visibility"] = "private", ["reminders"] = new JsonObject { ["useDefault"] = false },
            ["extendedProperties"] = new JsonObject { ["private"] = new JsonObject { ["k"] = "v" } },
        });
        var summary = await user.PatchAsync($"{user.Events}/{id}", new { summary = "Renamed" });
        var moved = await user.PatchAsync($"{user.Events}/{id}", new { start = new { dateTime = "2030-06-05T09:00:00Z" } });
        var viaApi = await user.PostAsync(user.Events, new JsonObject
        {
            ["summary"] = "Not allowed", ["eventType"] = "fromGmail",
            ["start"] = new JsonObject { ["dateTime"] = "2030-06-05T08:00:00Z" }, ["end"] = new JsonObject { ["dateTime"] = "2030-06-05T09:00:00Z" },
        });

        Assert.Equal(HttpStatusCode.Created, planted.StatusCode);
        Assert.Equal("fromGmail", got.Json!["eventType"]!.GetValue<string>());
        Assert.Equal(user.Email, got.Json["organizer"]!["email"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.Equal("5", allowed.Json!["colorId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, summary.Status);
        Assert.Equal(HttpStatusCode.BadRequest, moved.Status);
        Assert.Equal(HttpStatusCode.BadRequest, viaApi.Status);
        Assert.Equal("Flight LH 123", (await user.GetAsync($"{user.Events}/{id}")).Json!["summary"]!.GetValue<string>());
    }

    private static JsonArray Attendees(params string[] emails) =>
        new([.. emails.Select(e => (JsonNode)new JsonObject { ["email"] = e })]);

    private static JsonNode Attendee(JsonNode evt, string email) =>
        evt["attendees"]!.AsArray().Single(a => string.Equals(a!["email"]!.GetValue<string>(), email, StringComparison.OrdinalIgnoreCase))!;
}
