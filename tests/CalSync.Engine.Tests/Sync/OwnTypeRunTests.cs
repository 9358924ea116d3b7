using System.Net;
using System.Text.Json;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;

namespace CalSync.Engine.Tests.Sync;

/// <summary>
/// Out-of-office and focus time copied as their own type, end to end against the emulator: the target is its
/// account's primary calendar, Google never changes an event's type, so a rule change replaces copies.
/// </summary>
public sealed class OwnTypeRunTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>
{
    private static readonly DateTimeOffset Today = new(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);

    private static readonly JsonElement Declining = JsonDocument.Parse("""{"autoDeclineMode":"declineAllConflictingInvitations","declineMessage":"On leave"}""").RootElement;

    private static Scenario WithRule(Scenario s, BusyTypeRule rule) =>
        s with { Sync = s.Sync with { AToB = new CopyStyle { Filter = CopyFilter.Default with { OutOfOffice = rule } } } };

    private static Task<GoogleEvent> AwayAsync(Scenario s) =>
        Scenario.AddAsync(s.Source, Scenario.Timed("Away", Today.AddDays(2).AddHours(8)) with { EventType = EventTypes.OutOfOffice, OutOfOfficeProperties = Declining });

    [Fact]
    public async Task A_rule_change_replaces_the_copy_in_the_other_type_and_back_with_one_copy_at_all_times()
    {
        var s = WithRule(await env.NewScenarioAsync(), BusyTypeRule.OwnType);
        var away = await AwayAsync(s);
        await Scenario.AddAsync(s.Source, Scenario.Timed("Standup", Today.AddDays(1).AddHours(9)));

        Assert.Equal(2, (await s.RunAsync()).Created);
        var own = Assert.Single(await Scenario.LiveEventsAsync(s.Target), e => e.Summary == "Away");
        Assert.Equal((EventTypes.OutOfOffice, Declining.GetRawText()), (own.EventType, own.OutOfOfficeProperties!.Value.GetRawText()));

        var busy = WithRule(s, BusyTypeRule.Busy);
        var dry = await busy.RunAsync(new RunFlags(DryRun: true));
        Assert.Equal((0, 1, 0), (dry.Created, dry.Updated, dry.Deleted));
        Assert.Equal(own.Etag, Assert.Single(await Scenario.LiveEventsAsync(s.Target), e => e.Summary == "Away").Etag);

        await env.ResetStatsAsync();
        var toBusy = await busy.RunAsync();

        Assert.Equal((0, 1, 0), (toBusy.Created, toBusy.Updated, toBusy.Deleted));
        // One list per side, then the old copy deleted and the new one written: nothing else.
        Assert.Equal(new Dictionary<string, int> { ["calendar.events.list"] = 1, ["calendar.events.delete"] = 1, ["calendar.events.insert"] = 1 },
            await env.CallsAsync(s.Target.Email));
        var change = Assert.Single(toBusy.Changes);
        Assert.Equal((away.Id, RunChange.Update), (change.OriginEventId, change.Action));
        Assert.Contains("copied as a busy event", change.Reason, StringComparison.Ordinal);
        var plain = Assert.Single(await Scenario.LiveEventsAsync(s.Target), e => e.Summary == "Away");
        Assert.True(plain.EventType is null or EventTypes.Default);
        Assert.Null(plain.OutOfOfficeProperties);
        Assert.Equal(2, (await Scenario.LiveEventsAsync(s.Target)).Count);

        // Back to its own type: the copy id of that type was used before, so Google knows it (409) and it is written over.
        var back = await s.RunAsync();
        Assert.Equal((0, 1, 0), (back.Created, back.Updated, back.Deleted));
        Assert.Equal(EventTypes.OutOfOffice, Assert.Single(await Scenario.LiveEventsAsync(s.Target), e => e.Summary == "Away").EventType);
        Assert.Equal(2, (await Scenario.LiveEventsAsync(s.Target)).Count);
        Assert.Empty((await s.RunAsync(new RunFlags(FullResync: true))).Changes);

        // An edit of the origin reaches the copy of its own type.
        await s.Source.Client.PatchEventAsync("primary", away.Id!, new EventPatch { Changes = new GoogleEvent { Summary = "Away (Lisbon)" } }, null, CancellationToken.None);
        Assert.Equal(1, (await s.RunAsync()).Updated);
        var renamed = Assert.Single(await Scenario.LiveEventsAsync(s.Target), e => e.Summary == "Away (Lisbon)");
        Assert.Equal(EventTypes.OutOfOffice, renamed.EventType);
    }

    [Theory]
    [InlineData("""{"autoDeclineMode":"declineOnlyNewConflictingInvitations","declineMessage":"On leave"}""")]
    [InlineData("""{"autoDeclineMode":"declineAllConflictingInvitations","declineMessage":"Back on Monday"}""")]
    [InlineData("""{"autoDeclineMode":"declineNone"}""")]
    public async Task An_edit_of_only_the_origins_out_of_office_settings_reaches_its_copy_and_costs_nothing_more(string settings)
    {
        var s = WithRule(await env.NewScenarioAsync(), BusyTypeRule.OwnType);
        var away = await AwayAsync(s);
        await s.RunAsync();
        var changed = JsonDocument.Parse(settings).RootElement;

        // What Google keeps after the patch (it merges the members given) is what the copy must carry.
        var edited = await s.Source.Client.PatchEventAsync("primary", away.Id!, new EventPatch { Changes = new GoogleEvent { OutOfOfficeProperties = changed } }, null, CancellationToken.None);
        var run = await s.RunAsync();

        Assert.Equal((0, 1, 0), (run.Created, run.Updated, run.Deleted));
        var copy = Assert.Single(await Scenario.LiveEventsAsync(s.Target));
        Assert.Equal(JsonSerializer.Serialize(edited.OutOfOfficeProperties), JsonSerializer.Serialize(copy.OutOfOfficeProperties));
        Assert.Empty((await s.RunAsync(new RunFlags(FullResync: true))).Changes);
    }

    [Fact]
    public async Task An_edit_of_only_focus_times_chat_status_reaches_its_copy()
    {
        var s = await env.NewScenarioAsync();
        s = s with { Sync = s.Sync with { AToB = new CopyStyle { Filter = CopyFilter.Default with { FocusTime = BusyTypeRule.OwnType } } } };
        var focus = await Scenario.AddAsync(s.Source, Scenario.Timed("Deep work", Today.AddDays(3).AddHours(9)) with
        {
            EventType = EventTypes.FocusTime, FocusTimeProperties = JsonDocument.Parse("""{"chatStatus":"available"}""").RootElement,
        });
        await s.RunAsync();

        var edited = await s.Source.Client.PatchEventAsync("primary", focus.Id!,
            new EventPatch { Changes = new GoogleEvent { FocusTimeProperties = JsonDocument.Parse("""{"chatStatus":"doNotDisturb"}""").RootElement } }, null, CancellationToken.None);
        var run = await s.RunAsync();

        Assert.Equal(1, run.Updated);
        var copy = Assert.Single(await Scenario.LiveEventsAsync(s.Target));
        Assert.Equal((EventTypes.FocusTime, JsonSerializer.Serialize(edited.FocusTimeProperties)), (copy.EventType, JsonSerializer.Serialize(copy.FocusTimeProperties)));
    }

    [Fact]
    public async Task An_edit_of_only_the_decline_message_changes_nothing_where_the_copy_drops_descriptions_or_is_busy()
    {
        var s = WithRule(await env.NewScenarioAsync(), BusyTypeRule.OwnType);
        var away = await AwayAsync(s);
        var busy = WithRule(await env.NewScenarioAsync(), BusyTypeRule.Busy);
        var busyAway = await AwayAsync(busy);
        var privateLook = s with { Sync = s.Sync with { AToB = s.Sync.AToB with { Look = CopyLook.Default with { Description = FieldRule.Drop } } } };
        await privateLook.RunAsync();
        await busy.RunAsync();
        var edit = new EventPatch { Changes = new GoogleEvent { OutOfOfficeProperties = JsonDocument.Parse("""{"autoDeclineMode":"declineAllConflictingInvitations","declineMessage":"Back on Monday"}""").RootElement } };
        await s.Source.Client.PatchEventAsync("primary", away.Id!, edit, null, CancellationToken.None);
        await busy.Source.Client.PatchEventAsync("primary", busyAway.Id!, edit, null, CancellationToken.None);

        await env.ResetStatsAsync();
        var dropped = await privateLook.RunAsync();
        var plain = await busy.RunAsync();

        Assert.Equal((0, 0), (dropped.Updated, plain.Updated));
        Assert.Equal(new Dictionary<string, int> { ["calendar.events.list"] = 1 }, await env.CallsAsync(s.Target.Email));
        Assert.Equal(new Dictionary<string, int> { ["calendar.events.list"] = 1 }, await env.CallsAsync(busy.Target.Email));
        Assert.False(Assert.Single(await Scenario.LiveEventsAsync(s.Target)).OutOfOfficeProperties!.Value.TryGetProperty("declineMessage", out _));
    }

    [Fact]
    public async Task Two_way_an_origin_on_the_target_side_changes_its_copys_type_both_ways()
    {
        var s = await env.NewScenarioAsync(SyncDirection.TwoWay);
        var toSource = (BusyTypeRule rule) => s with { Sync = s.Sync with { BToA = new CopyStyle { Filter = CopyFilter.Default with { FocusTime = rule } } } };
        var focus = await Scenario.AddAsync(s.Target, Scenario.Timed("Deep work", Today.AddDays(3).AddHours(9)) with
        {
            EventType = EventTypes.FocusTime, FocusTimeProperties = JsonDocument.Parse("""{"chatStatus":"doNotDisturb"}""").RootElement,
        });
        await toSource(BusyTypeRule.Busy).RunAsync();

        foreach (var (rule, type) in new[] { (BusyTypeRule.OwnType, EventTypes.FocusTime), (BusyTypeRule.Busy, null), (BusyTypeRule.OwnType, EventTypes.FocusTime) })
        {
            var run = await toSource(rule).RunAsync();

            Assert.Equal((0, 1, 0), (run.Created, run.Updated, run.Deleted));
            var copy = Assert.Single(await Scenario.LiveEventsAsync(s.Source));
            Assert.Equal((type ?? EventTypes.Default, "Deep work"), (copy.EventType ?? EventTypes.Default, copy.Summary));
            Assert.Equal(focus.Id, CopyMarker.Read(copy)!.OriginEventId);
        }
        Assert.Empty((await toSource(BusyTypeRule.OwnType).RunAsync(new RunFlags(FullResync: true))).Changes);
    }

    [Fact]
    public async Task A_secondary_target_calendar_gets_busy_copies()
    {
        var s = WithRule(await env.NewScenarioAsync(targetTimeZone: "Europe/Berlin"), BusyTypeRule.OwnType);
        await AwayAsync(s);

        Assert.Equal(1, (await s.RunAsync()).Created);

        var copy = Assert.Single(await Scenario.LiveEventsAsync(s.Target, s.Sync.B.CalendarId));
        Assert.True(copy.EventType is null or EventTypes.Default);
        Assert.Equal("Away", copy.Summary);
        Assert.True(copy.Transparency is null or "opaque");
    }

    [Fact]
    public async Task Where_Google_refuses_the_type_the_copy_is_busy_and_stays_so()
    {
        var s = WithRule(await env.NewScenarioAsync(), BusyTypeRule.Busy);
        var away = await AwayAsync(s);
        await s.RunAsync();
        var refusing = new RefusesStatusEvents(s.B);
        var own = WithRule(s, BusyTypeRule.OwnType);

        var retyped = await own.RunAsync(b: refusing);

        Assert.Equal(1, refusing.Refused);
        var change = Assert.Single(retyped.Changes);
        Assert.Equal("Google refused the copy as an out-of-office event: it stays a busy event", change.Reason);
        var copy = Assert.Single(await Scenario.LiveEventsAsync(s.Target));
        Assert.True(copy.EventType is null or EventTypes.Default);
        Assert.Equal("Away", copy.Summary);

        // The next runs leave it: the rules did not change again.
        Assert.Empty((await own.RunAsync(new RunFlags(FullResync: true), b: refusing)).Changes);
        await s.Source.Client.PatchEventAsync("primary", away.Id!, new EventPatch { Changes = new GoogleEvent { Summary = "Away all week" } }, null, CancellationToken.None);
        Assert.Equal(1, (await own.RunAsync(b: refusing)).Updated);
        Assert.Equal(1, refusing.Refused);
        Assert.Equal("Away all week", Assert.Single(await Scenario.LiveEventsAsync(s.Target)).Summary);

        // A new origin meets the refusal too, and is copied busy at once.
        var later = await Scenario.AddAsync(s.Source, Scenario.Timed("Conference", Today.AddDays(5).AddHours(8)) with { EventType = EventTypes.OutOfOffice, OutOfOfficeProperties = Declining });
        var created = await own.RunAsync(b: refusing);
        Assert.Equal((1, 2), (created.Created, refusing.Refused));
        Assert.Equal(["Away all week", "Conference"], (await Scenario.LiveEventsAsync(s.Target)).Select(e => e.Summary).Order());
        Assert.Contains(created.Changes, c => c.OriginEventId == later.Id && c.Reason == "Google refused the copy as an out-of-office event: copied as a busy event");
    }

    [Fact]
    public async Task A_run_stopped_after_the_old_copy_went_leaves_the_next_run_to_write_the_new_one()
    {
        var s = WithRule(await env.NewScenarioAsync(), BusyTypeRule.Busy);
        await AwayAsync(s);
        await s.RunAsync();
        var own = WithRule(s, BusyTypeRule.OwnType);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => own.RunAsync(b: new DiesAfterWrites(s.B, 1)));
        Assert.Empty(await Scenario.LiveEventsAsync(s.Target));

        await own.RunAsync();

        var copy = Assert.Single(await Scenario.LiveEventsAsync(s.Target));
        Assert.Equal(EventTypes.OutOfOffice, copy.EventType);
        Assert.Empty((await own.RunAsync(new RunFlags(FullResync: true))).Changes);
    }

    [Fact]
    public async Task A_run_stopped_by_a_rate_limit_before_the_new_copy_and_a_refusal_after_it_still_ends_with_a_busy_copy()
    {
        var s = WithRule(await env.NewScenarioAsync(), BusyTypeRule.Busy);
        await AwayAsync(s);
        await s.RunAsync();
        var own = WithRule(s, BusyTypeRule.OwnType);

        // The old copy goes, then Google limits the new one's write: the run stops, retryably.
        await Assert.ThrowsAsync<GoogleApiException>(() => own.RunAsync(b: new RefusesStatusEvents(s.B, rateLimitFirst: true)));
        Assert.Empty(await Scenario.LiveEventsAsync(s.Target));

        // The next run writes the new copy; Google refuses its type, so the busy copy comes back.
        await own.RunAsync(b: new RefusesStatusEvents(s.B));

        var copy = Assert.Single(await Scenario.LiveEventsAsync(s.Target));
        Assert.True(copy.EventType is null or EventTypes.Default);
        Assert.Empty((await own.RunAsync(new RunFlags(FullResync: true), b: new RefusesStatusEvents(s.B))).Changes);
    }

    /// <summary>
    /// A calendar whose account has no out-of-office or focus time: Google answers 400 to such events (or, asked to,
    /// a rate limit to the first of them).
    /// </summary>
    private sealed class RefusesStatusEvents(ICalendarSide inner, bool rateLimitFirst = false) : DelegatingSide(inner)
    {
        private bool _limited = !rateLimitFirst;

        public int Refused { get; private set; }

        public override async Task<IReadOnlyList<BatchResult>> ExecuteAsync(IReadOnlyList<CalendarOperation> operations, CancellationToken cancellationToken)
        {
            var passed = await Inner.ExecuteAsync([.. operations.Where(o => !IsStatusEvent(o))], cancellationToken);
            var results = new List<BatchResult>();
            var next = 0;
            foreach (var operation in operations)
            {
                if (IsStatusEvent(operation) && !_limited)
                {
                    _limited = true;
                    results.Add(new BatchResult(operation, HttpStatusCode.TooManyRequests, null,
                        new GoogleApiException(operation.MethodId, HttpStatusCode.TooManyRequests, GoogleErrorReasons.RateLimitExceeded, "Rate Limit Exceeded", null)));
                }
                else if (IsStatusEvent(operation))
                {
                    Refused++;
                    results.Add(new BatchResult(operation, HttpStatusCode.BadRequest, null,
                        new GoogleApiException(operation.MethodId, HttpStatusCode.BadRequest, "invalid", "Out of office events are not available for this user.", null)));
                }
                else
                {
                    results.Add(passed[next++]);
                }
            }
            return results;
        }

        private static bool IsStatusEvent(CalendarOperation operation) =>
            operation.Body is { } body && JsonDocument.Parse(body).RootElement.TryGetProperty("eventType", out var type)
            && type.GetString() is EventTypes.OutOfOffice or EventTypes.FocusTime;
    }
}
