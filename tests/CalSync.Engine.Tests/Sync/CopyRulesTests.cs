using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;
using static CalSync.Engine.Tests.Sync.PlannerFixture;

namespace CalSync.Engine.Tests.Sync;

/// <summary>
/// The copy rules row by row: for each rule an origin it skips (named) or copies, and the copy's look spelled out.
/// PlannerFixture's "now" is Monday 2026-11-23 09:00 UTC; <see cref="At"/> builds events on given local times.
/// </summary>
public sealed class CopyRulesTests
{
    private static readonly SyncDefinition Sync = OneWay() with
    {
        LabelA = new SideLabel("Work", "ann@example.com"),
    };

    private static CopyVerdict Evaluate(GoogleEvent origin, CopyFilter? filter = null, CopyLook? look = null, bool privacy = false, string? colorId = null) =>
        CopyRules.Evaluate(Sync with { AToB = new CopyStyle(privacy, "Busy", colorId) { Filter = filter ?? CopyFilter.Default, Look = look ?? CopyLook.Default } },
            Side.A, origin, "copy1");

    private static string? SkippedBy(GoogleEvent origin, CopyFilter filter) => Evaluate(origin, filter) is SkipCopy skip ? skip.Rule : null;

    /// <summary>What a copy shows: title, description, location, busy/free, visibility, colour, default reminders, status.</summary>
    private static (string?, string?, string?, string?, string?, string?, bool?, string?) Shown(CopyVerdict verdict)
    {
        var e = Assert.IsType<MakeCopy>(verdict).Body;
        return (e.Summary, e.Description, e.Location, e.Transparency, e.Visibility, e.ColorId, e.Reminders?.UseDefault, e.Status);
    }

    private static GoogleEvent At(string start, string end, string zone = "Europe/Berlin") => Event("o1") with
    {
        Start = EventDateTime.At(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), zone),
        End = EventDateTime.At(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture), zone),
    };

    private static GoogleEvent AllDay(string date, string? transparency = null) => Event("o1") with
    {
        Start = EventDateTime.AllDay(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)),
        End = EventDateTime.AllDay(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture).AddDays(1)),
        Transparency = transparency,
    };

    private static GoogleEvent Invitation(string response) => Event("o1") with
    {
        Organizer = new EventPerson { Email = "boss@example.com" },
        Attendees =
        [
            new EventAttendee { Email = "boss@example.com", DisplayName = "The Boss", Organizer = true, ResponseStatus = "accepted" },
            new EventAttendee { Email = "ann@example.com", Self = true, ResponseStatus = response },
            new EventAttendee { Email = "bob@example.com", ResponseStatus = "needsAction" },
        ],
    };

    private static readonly WorkingHours NineToFive = new([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
        new TimeOnly(9, 0), new TimeOnly(17, 0), "Europe/Berlin");

    [Fact]
    public void Defaults_copy_an_ordinary_event_as_it_is()
    {
        var origin = Event("o1") with { Description = "agenda", Location = "Room 1", Transparency = "transparent", Visibility = "public", ColorId = "5" };

        Assert.Equal(("Meeting", "agenda", "Room 1", "transparent", "public", "5", false, "confirmed"), Shown(Evaluate(origin)));
    }

    [Theory]
    [InlineData("declined", true, "copyToTarget.filter.skipDeclined")]
    [InlineData("declined", false, null)]
    [InlineData("accepted", true, null)]
    [InlineData("needsAction", true, null)]
    [InlineData("tentative", true, null)]
    public void Declined_invitations_are_skipped_unless_asked(string response, bool skipDeclined, string? rule)
    {
        var verdict = Evaluate(Invitation(response), CopyFilter.Default with { SkipDeclined = skipDeclined });

        Assert.Equal(rule, (verdict as SkipCopy)?.Rule);
    }

    [Fact]
    public void Declining_ones_own_event_is_not_possible_so_the_organizer_is_never_skipped()
    {
        var own = Invitation("declined") with { Organizer = new EventPerson { Email = "ann@example.com", Self = true } };

        Assert.IsType<MakeCopy>(Evaluate(own));
    }

    [Theory]
    [InlineData("tentative", InvitationRule.Copy, null, "opaque-as-origin")]
    [InlineData("tentative", InvitationRule.Free, null, "transparent")]
    [InlineData("tentative", InvitationRule.Busy, null, "opaque")]
    [InlineData("tentative", InvitationRule.Skip, "copyToTarget.filter.tentative", null)]
    [InlineData("needsAction", InvitationRule.Free, null, "transparent")]
    [InlineData("needsAction", InvitationRule.Skip, "copyToTarget.filter.needsAction", null)]
    [InlineData("accepted", InvitationRule.Skip, null, "opaque-as-origin")]
    public void Tentative_and_unanswered_invitations_follow_their_rule(string response, InvitationRule rule, string? skippedBy, string? transparency)
    {
        var filter = response == "tentative" ? CopyFilter.Default with { Tentative = rule } : CopyFilter.Default with { NeedsAction = rule };

        var verdict = Evaluate(Invitation(response), filter);

        Assert.Equal(skippedBy, (verdict as SkipCopy)?.Rule);
        if (transparency is not null)
        {
            // The origin has no transparency of its own (busy): "as origin" leaves the copy's empty too.
            Assert.Equal(transparency == "opaque-as-origin" ? null : transparency, Assert.IsType<MakeCopy>(verdict).Body.Transparency);
        }
    }

    [Fact]
    public void Free_events_are_skipped_when_asked()
    {
        var free = Event("o1") with { Transparency = "transparent" };

        Assert.Equal("copyToTarget.filter.freeEvents", SkippedBy(free, CopyFilter.Default with { FreeEvents = FreeEventRule.Skip }));
        Assert.Null(SkippedBy(Event("o1"), CopyFilter.Default with { FreeEvents = FreeEventRule.Skip }));
        Assert.Null(SkippedBy(free, CopyFilter.Default));
    }

    [Theory]
    [InlineData(AllDayRule.All, null, null)]
    [InlineData(AllDayRule.All, "transparent", null)]
    [InlineData(AllDayRule.BusyOnly, null, null)]
    [InlineData(AllDayRule.BusyOnly, "opaque", null)]
    [InlineData(AllDayRule.BusyOnly, "transparent", "copyToTarget.filter.allDay")]
    [InlineData(AllDayRule.Skip, "opaque", "copyToTarget.filter.allDay")]
    public void All_day_events_follow_their_rule(AllDayRule rule, string? transparency, string? skippedBy)
    {
        Assert.Equal(skippedBy, SkippedBy(AllDay("2026-11-25", transparency), CopyFilter.Default with { AllDay = rule }));
    }

    [Fact]
    public void All_day_rule_leaves_timed_events_alone()
    {
        Assert.Null(SkippedBy(Event("o1"), CopyFilter.Default with { AllDay = AllDayRule.Skip }));
    }

    [Theory]
    // Tuesday 10:00-11:00 Berlin: inside.
    [InlineData("2026-11-24T10:00:00+01:00", "2026-11-24T11:00:00+01:00", true)]
    // Tuesday 17:00-18:00 Berlin: starts as the working day ends, so it does not overlap.
    [InlineData("2026-11-24T17:00:00+01:00", "2026-11-24T18:00:00+01:00", false)]
    // Tuesday 16:30-18:00: overlaps the edge, copied whole.
    [InlineData("2026-11-24T16:30:00+01:00", "2026-11-24T18:00:00+01:00", true)]
    // Tuesday 07:00-09:00 Berlin: ends as the working day starts.
    [InlineData("2026-11-24T07:00:00+01:00", "2026-11-24T09:00:00+01:00", false)]
    // Saturday 10:00-11:00: not a working day.
    [InlineData("2026-11-28T10:00:00+01:00", "2026-11-28T11:00:00+01:00", false)]
    // Tuesday 08:30 UTC = 09:30 Berlin: the zone of the rule counts, not the event's offset.
    [InlineData("2026-11-24T08:30:00+00:00", "2026-11-24T08:45:00+00:00", true)]
    // Monday 07:30 UTC = 08:30 Berlin: before work there.
    [InlineData("2026-11-23T07:30:00+00:00", "2026-11-23T07:45:00+00:00", false)]
    // Friday 22:00 to Monday 08:00 Berlin: a weekend, no working time inside.
    [InlineData("2026-11-27T22:00:00+01:00", "2026-11-30T08:00:00+01:00", false)]
    // Friday 22:00 to Monday 10:00 Berlin: reaches into Monday's hours.
    [InlineData("2026-11-27T22:00:00+01:00", "2026-11-30T10:00:00+01:00", true)]
    // Summer time: Tuesday 2027-06-08 08:30 UTC = 10:30 Berlin (UTC+2).
    [InlineData("2027-06-08T06:30:00+00:00", "2027-06-08T06:45:00+00:00", false)]
    [InlineData("2027-06-08T07:30:00+00:00", "2027-06-08T07:45:00+00:00", true)]
    public void Working_hours_copy_what_overlaps_them(string start, string end, bool copied)
    {
        Assert.Equal(copied ? null : "copyToTarget.filter.workingHours", SkippedBy(At(start, end), CopyFilter.Default with { WorkingHours = NineToFive }));
    }

    [Theory]
    [InlineData("2026-11-24", true)] // Tuesday
    [InlineData("2026-11-28", false)] // Saturday
    public void Working_hours_take_all_day_events_on_working_days(string date, bool copied)
    {
        Assert.Equal(copied ? null : "copyToTarget.filter.workingHours", SkippedBy(AllDay(date), CopyFilter.Default with { WorkingHours = NineToFive }));
    }

    [Theory]
    [InlineData("Team SYNC", null, false, "copyToTarget.filter.exclude")]
    [InlineData("Lunch", "weekly sync", false, null)]
    [InlineData("Lunch", "weekly sync", true, "copyToTarget.filter.exclude")]
    [InlineData("Dentist", null, false, null)]
    public void Exclude_keywords_ignore_case(string title, string? description, bool matchDescription, string? skippedBy)
    {
        var origin = Event("o1", title) with { Description = description };

        Assert.Equal(skippedBy, SkippedBy(origin, CopyFilter.Default with { Exclude = ["sync", "private"], MatchDescription = matchDescription }));
    }

    [Theory]
    [InlineData("Client call", null, false, null)]
    [InlineData("CLIENT visit", null, false, null)]
    [InlineData("Lunch", "with client", false, "copyToTarget.filter.include")]
    [InlineData("Lunch", "with client", true, null)]
    [InlineData("Lunch", null, true, "copyToTarget.filter.include")]
    public void Include_keywords_copy_only_what_mentions_one(string title, string? description, bool matchDescription, string? skippedBy)
    {
        var origin = Event("o1", title) with { Description = description };

        Assert.Equal(skippedBy, SkippedBy(origin, CopyFilter.Default with { Include = ["client"], MatchDescription = matchDescription }));
    }

    [Fact]
    public void Exclude_wins_over_include()
    {
        Assert.Equal("copyToTarget.filter.exclude", SkippedBy(Event("o1", "client sync"), CopyFilter.Default with { Include = ["client"], Exclude = ["sync"] }));
    }

    [Theory]
    [InlineData("5", null, null)]
    [InlineData(null, null, "copyToTarget.filter.includeColors")]
    [InlineData("2", null, "copyToTarget.filter.includeColors")]
    [InlineData("5", "5", "copyToTarget.filter.excludeColors")]
    public void Colour_lists_select_by_the_events_own_colour(string? colour, string? excluded, string? skippedBy)
    {
        var filter = CopyFilter.Default with { IncludeColors = excluded is null ? ["5", "6"] : [], ExcludeColors = excluded is null ? [] : [excluded] };

        Assert.Equal(skippedBy, SkippedBy(Event("o1") with { ColorId = colour }, filter));
    }

    [Theory]
    [InlineData(EventTypes.OutOfOffice, null, "opaque")]
    [InlineData(EventTypes.FocusTime, null, "opaque")]
    [InlineData(EventTypes.WorkingLocation, "copyToTarget.filter.workingLocation", null)]
    [InlineData(EventTypes.Birthday, "copyToTarget.filter.birthday", null)]
    [InlineData("somethingNew", "copyToTarget.filter.eventType", null)]
    public void Event_types_by_default(string type, string? skippedBy, string? transparency)
    {
        var verdict = Evaluate(Event("o1") with { EventType = type, Transparency = "transparent" });

        Assert.Equal(skippedBy, (verdict as SkipCopy)?.Rule);
        if (verdict is MakeCopy copy)
        {
            Assert.Equal((transparency, null), (copy.Body.Transparency, copy.Body.EventType));
        }
    }

    [Fact]
    public void Event_types_follow_their_rules_when_set()
    {
        var filter = CopyFilter.Default with
        {
            OutOfOffice = BusyTypeRule.Skip, FocusTime = BusyTypeRule.Skip, WorkingLocation = PersonalTypeRule.Copy, Birthday = PersonalTypeRule.Copy,
        };

        Assert.Equal("copyToTarget.filter.outOfOffice", SkippedBy(Event("o1") with { EventType = EventTypes.OutOfOffice }, filter));
        Assert.Equal("copyToTarget.filter.focusTime", SkippedBy(Event("o1") with { EventType = EventTypes.FocusTime }, filter));
        // Copied as free default events: they say where or whose, not that the person is busy.
        var location = Assert.IsType<MakeCopy>(Evaluate(Event("o1", "Office") with { EventType = EventTypes.WorkingLocation }, filter)).Body;
        Assert.Equal(("Office", "transparent", null), (location.Summary, location.Transparency, location.EventType));
        Assert.IsType<MakeCopy>(Evaluate(Event("o1") with { EventType = EventTypes.Birthday }, filter));
    }

    private static readonly System.Text.Json.JsonElement FocusProperties = System.Text.Json.JsonDocument.Parse(
        """{"autoDeclineMode":"declineOnlyNewConflictingInvitations","declineMessage":"Deep work","chatStatus":"doNotDisturb"}""").RootElement;

    [Theory]
    // The target's calendar, a timed origin?, the type the rules want for its copy.
    [InlineData("primary", true, EventTypes.FocusTime)]
    [InlineData("ann.work@example.com", true, EventTypes.FocusTime)] // the target account's primary calendar, by its id
    [InlineData("ANN.WORK@example.com", true, EventTypes.FocusTime)]
    [InlineData("bob@example.com", true, null)] // someone else's primary calendar, shared with the account
    [InlineData("team@group.calendar.google.com", true, null)] // a secondary calendar takes no status events
    [InlineData("primary", false, null)] // Google has no all-day focus time
    public void Focus_time_as_its_own_type_only_where_the_target_takes_it(string targetCalendar, bool timed, string? expected)
    {
        var sync = Sync with
        {
            B = new CalendarRef(Guid.NewGuid(), targetCalendar),
            LabelB = new SideLabel("Work", "ann.work@example.com"),
            AToB = new CopyStyle { Filter = CopyFilter.Default with { FocusTime = BusyTypeRule.OwnType } },
        };
        var origin = (timed ? Event("o1", "Deep work") : AllDay("2026-11-24")) with { EventType = EventTypes.FocusTime, FocusTimeProperties = FocusProperties };

        Assert.Equal(expected, CopyRules.OwnTypeOf(sync, Side.A, origin));
        Assert.Equal(CopyIds.For(sync.Id, Side.A, "o1", expected), CopyRules.CopyIdOf(sync, Side.A, origin));
    }

    [Fact]
    public void A_copy_of_its_own_type_carries_the_origins_properties_and_is_busy()
    {
        var sync = Sync with
        {
            B = new CalendarRef(Guid.NewGuid(), "primary"),
            AToB = new CopyStyle { Filter = CopyFilter.Default with { FocusTime = BusyTypeRule.OwnType }, Look = CopyLook.Default with { ShowAs = ShowAsRule.Free, Conference = FieldRule.Keep } },
        };
        var origin = Event("o1", "Deep work") with
        {
            EventType = EventTypes.FocusTime, FocusTimeProperties = FocusProperties, Description = "Writing",
            ConferenceData = new ConferenceData { EntryPoints = [new EntryPoint { EntryPointType = "video", Uri = "https://meet.example.com/abc" }] },
        };
        var ownId = CopyIds.For(sync.Id, Side.A, "o1", EventTypes.FocusTime);

        var own = Assert.IsType<MakeCopy>(CopyRules.Evaluate(sync, Side.A, origin, ownId)).Body;
        var asPrivate = Assert.IsType<MakeCopy>(CopyRules.Evaluate(sync with { AToB = sync.AToB with { Privacy = true } }, Side.A, origin, ownId)).Body;
        // A copy has the type its id names: one made busy before the rule changed stays a default event.
        var busy = Assert.IsType<MakeCopy>(CopyRules.Evaluate(sync, Side.A, origin, CopyIds.For(sync.Id, Side.A, "o1"))).Body;

        Assert.Equal((EventTypes.FocusTime, "opaque", "Deep work", "Writing"), (own.EventType, own.Transparency, own.Summary, own.Description));
        Assert.Null(own.ConferenceData);
        Assert.Equal(FocusProperties.GetRawText(), own.FocusTimeProperties!.Value.GetRawText());
        Assert.Null(own.OutOfOfficeProperties);
        Assert.Equal("""{"autoDeclineMode":"declineOnlyNewConflictingInvitations","chatStatus":"doNotDisturb"}""", asPrivate.FocusTimeProperties!.Value.GetRawText());
        Assert.Equal(("Busy", EventTypes.FocusTime), (asPrivate.Summary, asPrivate.EventType));
        Assert.Equal(((string?)null, "transparent", (System.Text.Json.JsonElement?)null), (busy.EventType, busy.Transparency, busy.FocusTimeProperties));
    }

    [Fact]
    public void An_out_of_office_origin_without_properties_gets_empty_ones_on_its_copy()
    {
        var sync = Sync with { B = new CalendarRef(Guid.NewGuid(), "primary"), AToB = new CopyStyle { Filter = CopyFilter.Default with { OutOfOffice = BusyTypeRule.OwnType } } };
        var origin = Event("o1", "Away") with { EventType = EventTypes.OutOfOffice };

        var copy = Assert.IsType<MakeCopy>(CopyRules.Evaluate(sync, Side.A, origin, CopyRules.CopyIdOf(sync, Side.A, origin))).Body;

        Assert.Equal((EventTypes.OutOfOffice, "{}"), (copy.EventType, copy.OutOfOfficeProperties!.Value.GetRawText()));
    }

    [Fact]
    public void A_skip_explains_its_rule_in_words()
    {
        var skip = Assert.IsType<SkipCopy>(Evaluate(Invitation("declined")));

        Assert.Equal("not copied: the invitation was declined (rule copyToTarget.filter.skipDeclined)", skip.Reason);
    }

    [Fact]
    public void Rules_of_copies_to_the_source_are_named_so()
    {
        var sync = TwoWay() with { BToA = new CopyStyle { Filter = CopyFilter.Default with { AllDay = AllDayRule.Skip } } };

        var skip = Assert.IsType<SkipCopy>(CopyRules.Evaluate(sync, Side.B, AllDay("2026-11-25"), "copy1"));

        Assert.Equal("copyToSource.filter.allDay", skip.Rule);
        Assert.IsType<MakeCopy>(CopyRules.Evaluate(sync, Side.A, AllDay("2026-11-25"), "copy1"));
    }

    [Fact]
    public void Title_placeholder_and_template()
    {
        var origin = Event("o1", "Board {calendar} review");

        Assert.Equal("Busy", Shown(Evaluate(origin, look: CopyLook.Default with { Title = TitleRule.Placeholder })).Item1);
        var template = CopyLook.Default with { Title = TitleRule.Template, TitleTemplate = "[{calendar}] {title} ({account})" };
        // The title's own "{calendar}" stays as written: the template is filled in one pass.
        Assert.Equal("[Work] Board {calendar} review (ann@example.com)", Shown(Evaluate(origin, look: template)).Item1);
    }

    [Fact]
    public void Description_location_dropped_and_guests_listed()
    {
        var origin = Invitation("accepted") with { Description = "agenda", Location = "Room 1" };

        var names = CopyLook.Default with { Location = FieldRule.Drop, Attendees = AttendeeRule.Names };
        Assert.Equal(("Meeting", "agenda\n\nGuests: The Boss, bob", null), (Shown(Evaluate(origin, look: names)).Item1, Shown(Evaluate(origin, look: names)).Item2, Shown(Evaluate(origin, look: names)).Item3));

        var emails = CopyLook.Default with { Description = FieldRule.Drop, Attendees = AttendeeRule.NamesAndEmails };
        Assert.Equal("Guests: The Boss <boss@example.com>, bob <bob@example.com>", Shown(Evaluate(origin, look: emails)).Item2);
        Assert.Null(Assert.IsType<MakeCopy>(Evaluate(origin, look: emails)).Body.Attendees);
    }

    [Theory]
    [InlineData(VisibilityRule.Keep, "public")]
    [InlineData(VisibilityRule.Default, null)]
    [InlineData(VisibilityRule.Private, "private")]
    public void Visibility(VisibilityRule rule, string? expected)
    {
        Assert.Equal(expected, Shown(Evaluate(Event("o1") with { Visibility = "public" }, look: CopyLook.Default with { Visibility = rule })).Item5);
    }

    [Theory]
    [InlineData(ShowAsRule.Keep, "transparent", "transparent")]
    [InlineData(ShowAsRule.Busy, "transparent", "opaque")]
    [InlineData(ShowAsRule.Free, null, "transparent")]
    public void Show_as(ShowAsRule rule, string? origin, string? expected)
    {
        Assert.Equal(expected, Shown(Evaluate(Event("o1") with { Transparency = origin }, look: CopyLook.Default with { ShowAs = rule })).Item4);
    }

    [Fact]
    public void An_invitation_rule_is_more_specific_than_show_as()
    {
        var verdict = Evaluate(Invitation("tentative"), CopyFilter.Default with { Tentative = InvitationRule.Free }, CopyLook.Default with { ShowAs = ShowAsRule.Busy });

        Assert.Equal("transparent", Shown(verdict).Item4);
    }

    private static readonly ConferenceData Meet = new()
    {
        ConferenceId = "abc-defg-hij",
        ConferenceSolution = new ConferenceSolution { Key = new ConferenceSolutionKey { Type = "hangoutsMeet" }, Name = "Google Meet" },
        EntryPoints =
        [
            new EntryPoint { EntryPointType = "video", Uri = "https://meet.google.com/abc-defg-hij", Label = "meet.google.com/abc-defg-hij" },
            new EntryPoint { EntryPointType = "phone", Uri = "tel:+1-555-0100", Pin = "123456" },
        ],
        CreateRequest = System.Text.Json.JsonDocument.Parse("""{"requestId":"r1","status":{"statusCode":"success"}}""").RootElement,
        Signature = "signed-by-google",
    };

    [Fact]
    public void Conference_dropped_by_default_and_kept_as_its_entry_points_when_asked()
    {
        var origin = Event("o1") with { ConferenceData = Meet, HangoutLink = "https://meet.google.com/abc-defg-hij" };

        var dropped = Assert.IsType<MakeCopy>(Evaluate(origin)).Body;
        Assert.Equal((null, null), (dropped.ConferenceData, dropped.HangoutLink));

        var kept = Assert.IsType<MakeCopy>(Evaluate(origin, look: CopyLook.Default with { Conference = FieldRule.Keep })).Body;
        Assert.Equal("abc-defg-hij", kept.ConferenceData!.ConferenceId);
        Assert.Equal("hangoutsMeet", kept.ConferenceData.ConferenceSolution!.Key!.Type);
        Assert.Equal(["https://meet.google.com/abc-defg-hij", "tel:+1-555-0100"], kept.ConferenceData.EntryPoints!.Select(p => p.Uri));
        Assert.Equal("123456", kept.ConferenceData.EntryPoints![1].Pin);
        // Never a request for a conference of the copy's own, nor Google's signature of the origin's.
        Assert.Equal((null, null), (kept.ConferenceData.CreateRequest, kept.ConferenceData.Signature));
        Assert.Null(kept.HangoutLink); // Read only: Google sets it.

        // Privacy mode drops it whatever the look says; a conference still being created has nothing to join yet.
        Assert.Null(Assert.IsType<MakeCopy>(Evaluate(origin, look: CopyLook.Default with { Conference = FieldRule.Keep }, privacy: true)).Body.ConferenceData);
        var pending = origin with { ConferenceData = new ConferenceData { CreateRequest = Meet.CreateRequest } };
        Assert.Null(Assert.IsType<MakeCopy>(Evaluate(pending, look: CopyLook.Default with { Conference = FieldRule.Keep })).Body.ConferenceData);
    }

    [Fact]
    public void A_copy_whose_conference_differs_from_what_the_look_wants_hashes_differently()
    {
        var origin = Event("o1") with { ConferenceData = Meet };
        var kept = Assert.IsType<MakeCopy>(Evaluate(origin, look: CopyLook.Default with { Conference = FieldRule.Keep })).Body;
        var dropped = Assert.IsType<MakeCopy>(Evaluate(origin)).Body;

        Assert.NotEqual(EventContent.HashOf(kept), EventContent.HashOf(dropped));
        // Google's own additions to the entry points (labels, say) are no change; events without a conference keep their hashes.
        var relabelled = kept with { ConferenceData = kept.ConferenceData! with { EntryPoints = [.. kept.ConferenceData.EntryPoints!.Select(p => p with { Label = "other" })] } };
        Assert.Equal(EventContent.HashOf(kept), EventContent.HashOf(relabelled));
        Assert.Equal(EventContent.HashOf(dropped), EventContent.HashOf(dropped with { ConferenceData = null }));
    }

    [Fact]
    public void Reminders_none_or_the_calendars_defaults()
    {
        Assert.Equal(false, Shown(Evaluate(Event("o1"))).Item7);
        var copy = Assert.IsType<MakeCopy>(Evaluate(Event("o1"), look: CopyLook.Default with { Reminders = ReminderRule.CalendarDefault })).Body;
        Assert.Equal((true, null), (copy.Reminders!.UseDefault, copy.Reminders.Overrides));
    }

    [Fact]
    public void Privacy_is_a_preset_over_the_look()
    {
        var origin = Invitation("accepted") with { Description = "agenda", Location = "Room 1", Visibility = "public", ColorId = "5", Transparency = "transparent" };
        var look = CopyLook.Default with { Title = TitleRule.Template, TitleTemplate = "{title}!", Attendees = AttendeeRule.NamesAndEmails, ShowAs = ShowAsRule.Keep };

        Assert.Equal(("Busy", null, null, "transparent", "private", null, false, "confirmed"), Shown(Evaluate(origin, look: look, privacy: true)));
        Assert.Equal("7", Shown(Evaluate(origin, privacy: true, colorId: "7")).Item6);
    }

    [Fact]
    public void Fingerprint_changes_with_every_rule_and_not_otherwise()
    {
        var plain = new CopyStyle();
        var same = new CopyStyle() { Filter = CopyFilter.Default with { Exclude = ["a"] } };

        Assert.Equal(plain.Fingerprint(), new CopyStyle().Fingerprint());
        Assert.Equal(same.Fingerprint(), new CopyStyle() { Filter = CopyFilter.Default with { Exclude = ["a"] } }.Fingerprint());
        Assert.Equal(same, new CopyStyle() { Filter = CopyFilter.Default with { Exclude = ["a"] } });
        Assert.NotEqual(plain.Fingerprint(), same.Fingerprint());
        Assert.NotEqual(plain.Fingerprint(), (plain with { Look = CopyLook.Default with { Reminders = ReminderRule.CalendarDefault } }).Fingerprint());
        Assert.NotEqual(plain.Fingerprint(), (plain with { Filter = CopyFilter.Default with { WorkingHours = NineToFive } }).Fingerprint());
    }

    [Fact]
    public void Stored_rules_read_back_the_same()
    {
        var style = new CopyStyle(true, "Away", "3")
        {
            Filter = CopyFilter.Default with { WorkingHours = NineToFive, Exclude = ["x"], Tentative = InvitationRule.Free, AllDay = AllDayRule.BusyOnly },
            Look = CopyLook.Default with { Title = TitleRule.Template, TitleTemplate = "{title}", Reminders = ReminderRule.CalendarDefault },
        };

        Assert.Null(RuleJson.Store(new CopyStyle()));
        Assert.Equal(style, RuleJson.Read(new CopyStyle(true, "Away", "3"), RuleJson.Store(style)));
    }

    [Fact]
    public void Stored_rules_from_a_newer_version_are_read_without_what_this_one_does_not_know()
    {
        var stored = """{"filter":{"allDay":"skip","someNewRule":true},"look":{"title":"placeholder","someNewLook":"keep"}}""";

        var style = RuleJson.Read(new CopyStyle(), stored);

        Assert.Equal(new CopyStyle { Filter = CopyFilter.Default with { AllDay = AllDayRule.Skip }, Look = CopyLook.Default with { Title = TitleRule.Placeholder } }, style);
    }
}
