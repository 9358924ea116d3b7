using System.Net;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Tests.Kit;

namespace CalSync.GoogleEmulator.Tests;

public sealed class EventsListTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly DateTimeOffset Day = new(2030, 6, 10, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Pages_carry_next_page_token_and_only_the_last_page_a_sync_token()
    {
        var user = await fixture.NewUserAsync();
        for (var i = 0; i < 5; i++)
        {
            await user.InsertAsync($"e{i}", Day.AddHours(i));
        }

        var first = await user.GetAsync($"{user.Events}?maxResults=2");
        var second = await user.GetAsync($"{user.Events}?maxResults=2&pageToken={Uri.EscapeDataString(first.Json!["nextPageToken"]!.GetValue<string>())}");
        var third = await user.GetAsync($"{user.Events}?maxResults=2&pageToken={Uri.EscapeDataString(second.Json!["nextPageToken"]!.GetValue<string>())}");

        Assert.Equal(2, first.Items.Count);
        Assert.Null(first.Json["nextSyncToken"]);
        Assert.Null(second.Json["nextSyncToken"]);
        Assert.Single(third.Items);
        Assert.Null(third.Json!["nextPageToken"]);
        Assert.NotNull(third.Json["nextSyncToken"]);
        Assert.Equal(5, first.ItemIds.Concat(second.ItemIds).Concat(third.ItemIds).Distinct().Count());
        Assert.Equal("calendar#events", first.Json["kind"]!.GetValue<string>());
        Assert.Equal("owner", first.Json["accessRole"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sync_token_returns_only_changes_since_including_cancelled_events()
    {
        var user = await fixture.NewUserAsync();
        var kept = await user.InsertAsync("kept", Day);
        var removed = await user.InsertAsync("removed", Day.AddHours(2));
        var token = (await user.GetAsync(user.Events)).Json!["nextSyncToken"]!.GetValue<string>();

        await user.DeleteAsync($"{user.Events}/{removed["id"]}");
        var added = await user.InsertAsync("added", Day.AddHours(4));
        var changes = await user.GetAsync($"{user.Events}?syncToken={Uri.EscapeDataString(token)}");
        var nothing = await user.GetAsync($"{user.Events}?syncToken={Uri.EscapeDataString(changes.Json!["nextSyncToken"]!.GetValue<string>())}");

        Assert.Equal(HttpStatusCode.OK, changes.Status);
        Assert.Equal(
            new[] { removed["id"]!.GetValue<string>(), added["id"]!.GetValue<string>() }.Order(StringComparer.Ordinal),
            changes.ItemIds.Order(StringComparer.Ordinal));
        Assert.Equal("cancelled", changes.Items.Single(i => i!["id"]!.GetValue<string>() == removed["id"]!.GetValue<string>())!["status"]!.GetValue<string>());
        Assert.DoesNotContain(kept["id"]!.GetValue<string>(), changes.ItemIds);
        Assert.Empty(nothing.Items);
    }

    [Theory]
    [InlineData("timeMin=2030-01-01T00:00:00Z")]
    [InlineData("timeMax=2030-01-01T00:00:00Z")]
    [InlineData("q=x")]
    [InlineData("orderBy=updated")]
    [InlineData("iCalUID=x@google.com")]
    [InlineData("updatedMin=2030-01-01T00:00:00Z")]
    [InlineData("privateExtendedProperty=a%3Db")]
    [InlineData("sharedExtendedProperty=a%3Db")]
    public async Task Sync_token_with_a_forbidden_parameter_is_400(string parameter)
    {
        var user = await fixture.NewUserAsync();
        var token = (await user.GetAsync(user.Events)).Json!["nextSyncToken"]!.GetValue<string>();

        var reply = await user.GetAsync($"{user.Events}?syncToken={Uri.EscapeDataString(token)}&{parameter}");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("invalid", reply.Reason);
    }

    [Fact]
    public async Task Expired_or_garbage_sync_tokens_are_410_full_sync_required()
    {
        var user = await fixture.NewUserAsync();
        var token = (await user.GetAsync(user.Events)).Json!["nextSyncToken"]!.GetValue<string>();

        using var expire = await fixture.Http.PostAsync($"emulator/calendars/{Uri.EscapeDataString(user.Email)}/expire-sync-tokens", null);
        var expired = await user.GetAsync($"{user.Events}?syncToken={Uri.EscapeDataString(token)}");
        var garbage = await user.GetAsync($"{user.Events}?syncToken=bm9wZQ==");

        Assert.Equal(HttpStatusCode.NoContent, expire.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, expired.Status);
        Assert.Equal("fullSyncRequired", expired.Reason);
        Assert.Equal("Sync token is no longer valid, a full sync is required.", expired.ErrorMessage);
        Assert.Equal(HttpStatusCode.Gone, garbage.Status);
    }

    [Fact]
    public async Task Time_min_bounds_the_end_and_time_max_bounds_the_start()
    {
        var user = await fixture.NewUserAsync();
        var before = await user.InsertAsync("before", Day.AddHours(-2));      // 06:00-07:00
        var overlapping = await user.InsertAsync("overlap", Day.AddMinutes(-30)); // 07:30-08:30
        var inside = await user.InsertAsync("inside", Day.AddHours(1));        // 09:00-10:00
        var atMax = await user.InsertAsync("at max", Day.AddHours(3));         // 11:00-12:00

        var reply = await user.GetAsync($"{user.Events}?timeMin=2030-06-10T08:00:00Z&timeMax=2030-06-10T11:00:00Z");
        var empty = await user.GetAsync($"{user.Events}?timeMin=2030-06-10T08:00:00Z&timeMax=2030-06-10T08:00:00Z");

        Assert.Equal(
            new[] { overlapping, inside }.Select(e => e["id"]!.GetValue<string>()).Order(StringComparer.Ordinal),
            reply.ItemIds.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(before["id"]!.GetValue<string>(), reply.ItemIds);
        Assert.DoesNotContain(atMax["id"]!.GetValue<string>(), reply.ItemIds);
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Equal("timeRangeEmpty", empty.Reason);
    }

    [Fact]
    public async Task Show_deleted_includes_tombstones_with_details_and_the_default_hides_them()
    {
        var user = await fixture.NewUserAsync();
        var gone = await user.InsertAsync("gone", Day);
        await user.DeleteAsync($"{user.Events}/{gone["id"]}");

        var hidden = await user.GetAsync(user.Events);
        var shown = await user.GetAsync($"{user.Events}?showDeleted=true");

        Assert.Empty(hidden.Items);
        Assert.Equal("gone", shown.Items.Single()!["summary"]!.GetValue<string>());
        Assert.Equal("cancelled", shown.Items.Single()!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ICalUID_extended_properties_q_and_event_types_filter()
    {
        var user = await fixture.NewUserAsync();
        var tagged = await user.InsertAsync("Quarterly planning", Day, e =>
        {
            e["extendedProperties"] = new JsonObject
            {
                ["private"] = new JsonObject { ["calsyncSync"] = "s1", ["origin"] = "abc" },
                ["shared"] = new JsonObject { ["team"] = "core" },
            };
            e["description"] = "Budget review";
        });
        var other = await user.InsertAsync("Lunch", Day.AddHours(3), e => e["extendedProperties"] = new JsonObject { ["private"] = new JsonObject { ["calsyncSync"] = "s2" } });
        var ooo = await user.InsertAsync("Away", Day.AddHours(5), e =>
        {
            e["eventType"] = "outOfOffice";
            e["outOfOfficeProperties"] = new JsonObject { ["autoDeclineMode"] = "declineNone" };
        });

        var byUid = await user.GetAsync($"{user.Events}?iCalUID={Uri.EscapeDataString(tagged["iCalUID"]!.GetValue<string>())}");
        var byPrivate = await user.GetAsync($"{user.Events}?privateExtendedProperty=calsyncSync%3Ds1&privateExtendedProperty=origin%3Dabc");
        var byPrivateMismatch = await user.GetAsync($"{user.Events}?privateExtendedProperty=calsyncSync%3Ds1&privateExtendedProperty=origin%3Dzzz");
        var byShared = await user.GetAsync($"{user.Events}?sharedExtendedProperty=team%3Dcore");
        var byQ = await user.GetAsync($"{user.Events}?q=budget%20REVIEW");
        var byType = await user.GetAsync($"{user.Events}?eventTypes=outOfOffice");
        var byTypes = await user.GetAsync($"{user.Events}?eventTypes=default&eventTypes=outOfOffice");
        var badType = await user.GetAsync($"{user.Events}?eventTypes=meeting");

        var taggedId = tagged["id"]!.GetValue<string>();
        Assert.Equal([taggedId], byUid.ItemIds);
        Assert.Equal([taggedId], byPrivate.ItemIds);
        Assert.Empty(byPrivateMismatch.Items);
        Assert.Equal([taggedId], byShared.ItemIds);
        Assert.Equal([taggedId], byQ.ItemIds);
        Assert.Equal([ooo["id"]!.GetValue<string>()], byType.ItemIds);
        Assert.Equal(3, byTypes.Items.Count);
        Assert.Equal(HttpStatusCode.BadRequest, badType.Status);
        Assert.NotNull(other);
    }

    [Fact]
    public async Task Long_get_sent_as_post_with_method_override_and_form_body_is_a_list()
    {
        var user = await fixture.NewUserAsync();
        var created = await user.InsertAsync("override", Day);
        using var request = new HttpRequestMessage(HttpMethod.Post, user.Events)
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("q", "override"), KeyValuePair.Create("maxResults", "10")]),
        };
        request.Headers.Add("X-HTTP-Method-Override", "GET");
        request.Headers.Authorization = new("Bearer", user.AccessToken);

        var reply = await Reply.ReadAsync(await fixture.Http.SendAsync(request));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal([created["id"]!.GetValue<string>()], reply.ItemIds);
    }

    [Fact]
    public async Task Fields_selects_a_partial_response()
    {
        var user = await fixture.NewUserAsync();
        await user.InsertAsync("partial", Day);

        var reply = await user.GetAsync($"{user.Events}?fields={Uri.EscapeDataString("nextSyncToken,items(id,start/dateTime,summary)")}");
        var bad = await user.GetAsync($"{user.Events}?fields={Uri.EscapeDataString("items(id")}");

        Assert.Equal(["nextSyncToken", "items"], reply.Json!.AsObject().Select(kv => kv.Key));
        var item = reply.Items.Single()!.AsObject();
        Assert.Equal(["id", "summary", "start"], item.Select(kv => kv.Key));
        Assert.Equal(["dateTime"], item["start"]!.AsObject().Select(kv => kv.Key));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
    }

    [Fact]
    public async Task Order_by_start_time_needs_single_events()
    {
        var user = await fixture.NewUserAsync();

        var reply = await user.GetAsync($"{user.Events}?orderBy=startTime");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("invalid", reply.Reason);
        Assert.Equal("The requested ordering is not available for the particular query.", reply.ErrorMessage);
    }

    [Fact]
    public async Task Max_results_above_2500_is_capped_and_zero_is_400()
    {
        var user = await fixture.NewUserAsync();

        var big = await user.GetAsync($"{user.Events}?maxResults=5000");
        var zero = await user.GetAsync($"{user.Events}?maxResults=0");

        Assert.Equal(HttpStatusCode.OK, big.Status);
        Assert.Equal(HttpStatusCode.BadRequest, zero.Status);
    }
}
