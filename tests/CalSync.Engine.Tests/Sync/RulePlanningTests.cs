using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;
using static CalSync.Engine.Tests.Sync.PlannerFixture;

namespace CalSync.Engine.Tests.Sync;

/// <summary>How the planner applies copy rules: skips said once, copies removed when their origin fails a rule, each direction its own.</summary>
public sealed class RulePlanningTests
{
    private static readonly SyncDefinition Sync = OneWay();

    private static GoogleEvent Declined(string id) => Event(id, "Offsite") with
    {
        Organizer = new EventPerson { Email = "boss@example.com" },
        Attendees = [new EventAttendee { Email = "me@example.com", Self = true, ResponseStatus = "declined" }],
    };

    [Fact]
    public void A_skipped_origin_is_reported_once_with_its_rule()
    {
        var origin = Declined("o1");

        var first = Assert.IsType<SkipOrigin>(Assert.Single(SyncPlanner.Plan(Input(Sync, a: [origin])).Actions));
        Assert.Equal((RunChange.Skip, "o1", (string?)null), (first.Change.Action, first.Change.OriginEventId, first.Change.CopyEventId));
        Assert.Equal("not copied: the invitation was declined (rule copyToTarget.filter.skipDeclined)", first.Change.Reason);

        // Seen again, unchanged: nothing to say.
        var remembered = Input(Sync, a: [origin]) with { Skipped = new Dictionary<(Side, string), string> { [(Side.A, "o1")] = first.Skipped.Fingerprint } };
        Assert.Empty(SyncPlanner.Plan(remembered).Actions);

        // Changed (renamed), or skipped by another rule: said again.
        Assert.IsType<SkipOrigin>(Assert.Single(SyncPlanner.Plan(remembered with { SeenA = new Dictionary<string, GoogleEvent> { ["o1"] = origin with { Summary = "Offsite 2" } } }).Actions));
        var otherRule = remembered with { Sync = Sync with { AToB = new CopyStyle { Filter = CopyFilter.Default with { SkipDeclined = false, Exclude = ["offsite"] } } } };
        var again = Assert.IsType<SkipOrigin>(Assert.Single(SyncPlanner.Plan(otherRule).Actions));
        Assert.Contains("copyToTarget.filter.exclude", again.Change.Reason, StringComparison.Ordinal);
    }

    private static readonly SyncDefinition OwnTypes = Sync with
    {
        B = new CalendarRef(Guid.NewGuid(), "primary"),
        AToB = new CopyStyle { Filter = CopyFilter.Default with { OutOfOffice = BusyTypeRule.OwnType } },
    };

    private static GoogleEvent Away(string id) => Event(id, "Away") with { EventType = EventTypes.OutOfOffice };

    [Fact]
    public void A_new_origin_is_copied_as_its_own_type_with_a_busy_copy_should_Google_refuse()
    {
        var create = Assert.IsType<CreateCopy>(Assert.Single(SyncPlanner.Plan(Input(OwnTypes, a: [Away("o1")])).Actions));

        Assert.Equal((CopyIds.For(OwnTypes.Id, Side.A, "o1", EventTypes.OutOfOffice), EventTypes.OutOfOffice), (create.Body.Id, create.Body.EventType));
        Assert.Equal(create.Body.Id, create.Link.CopyId);
        var instead = Assert.IsType<CreateCopy>(create.Instead);
        Assert.Equal((CopyIds.For(OwnTypes.Id, Side.A, "o1"), (string?)null, "opaque"), (instead.Body.Id, instead.Body.EventType, instead.Body.Transparency));
        Assert.Equal(instead.Body.Id, instead.Link.CopyId);
        Assert.Equal("Google refused the copy as an out-of-office event: copied as a busy event", instead.Change.Reason);
    }

    [Fact]
    public void A_rule_change_to_their_own_type_replaces_busy_copies()
    {
        var origin = Away("o1");
        var busy = CopyOf(Sync, origin);
        var link = LinkOf(origin, busy);
        var restyled = Input(OwnTypes, a: [origin], b: [busy], links: [link]) with { Restyled = new HashSet<Side> { Side.B } };

        var retype = Assert.IsType<RetypeCopy>(Assert.Single(SyncPlanner.Plan(restyled).Actions));

        var ownId = CopyIds.For(OwnTypes.Id, Side.A, "o1", EventTypes.OutOfOffice);
        Assert.Equal((Side.B, link, ownId, ownId, EventTypes.OutOfOffice), (retype.Target, retype.OldLink, retype.Link.CopyId, retype.Body.Id, retype.Body.EventType));
        Assert.Equal((RunChange.Update, ownId), (retype.Change.Action, retype.Change.CopyEventId));
        Assert.Equal("the sync's copy settings changed: copied as an out-of-office event (a new event, as Google never changes an event's type)", retype.Change.Reason);
        var instead = Assert.IsType<UpdateCopy>(retype.Instead);
        Assert.Equal((busy.Id, (string?)null), (instead.EventId, instead.Body.EventType));
        Assert.Equal(busy.Id, instead.Link.CopyId);
    }

    [Fact]
    public void A_rule_change_back_to_busy_replaces_copies_of_their_own_type()
    {
        var origin = Away("o1");
        var own = CopyRules.RenderAs(OwnTypes, Side.A, origin, CopyIds.For(OwnTypes.Id, Side.A, "o1", EventTypes.OutOfOffice)) with { Etag = "\"c1\"" };
        var busyAgain = OwnTypes with { AToB = CopyStyle.Plain };
        var restyled = Input(busyAgain, a: [origin], b: [own], links: [LinkOf(origin, own)]) with { Restyled = new HashSet<Side> { Side.B } };

        var retype = Assert.IsType<RetypeCopy>(Assert.Single(SyncPlanner.Plan(restyled).Actions));

        Assert.Equal((own.Id, CopyIds.For(OwnTypes.Id, Side.A, "o1"), (string?)null), (retype.OldLink.CopyId, retype.Link.CopyId, retype.Body.EventType));
        Assert.Null(retype.Instead);
    }

    [Fact]
    public void Without_a_rule_change_a_copy_keeps_its_type()
    {
        // A busy copy under a rule asking for its own type: Google refused the type once, so the copy stays busy.
        var origin = Away("o1");
        var busy = CopyOf(Sync, origin);
        var moved = origin with { Etag = "\"2\"", Summary = "Away (moved)" };

        var update = Assert.IsType<UpdateCopy>(Assert.Single(SyncPlanner.Plan(Input(OwnTypes, a: [moved], links: [LinkOf(origin, busy)])).Actions));

        Assert.Equal((busy.Id, (string?)null), (update.EventId, update.Body.EventType));
    }

    [Fact]
    public void Two_way_a_copy_edit_that_makes_its_origin_fail_the_rules_patches_the_origin_then_removes_the_copy()
    {
        var sync = TwoWay() with { AToB = new CopyStyle { Filter = CopyFilter.Default with { Include = ["client"] } } };
        var origin = Event("o1", "Client call");
        var copy = CopyOf(sync, origin);
        var renamed = copy with { Summary = "Lunch", Etag = "\"c2\"" };

        var plan = SyncPlanner.Plan(Input(sync, b: [renamed], links: [LinkOf(origin, copy)]) with { SeenA = new Dictionary<string, GoogleEvent> { ["o1"] = origin } });

        var patch = Assert.IsType<PatchOrigin>(Assert.Single(plan.Actions));
        Assert.Equal(("o1", "Lunch"), (patch.EventId, patch.Patch.Changes.Summary));
        var removal = Assert.IsType<DeleteEvent>(patch.Then);
        Assert.Equal((Side.B, copy.Id, "\"c2\""), (removal.Target, removal.EventId, removal.IfMatch));
        Assert.Equal("copy removed, its origin is no longer copied: it mentions none of the words copied (rule copyToTarget.filter.include)", removal.Change.Reason);
        Assert.NotNull(removal.Skipped);
        Assert.Equal(1, plan.Deletes);
        Assert.Equal([RunChange.Update, RunChange.Delete], plan.Changes.Select(c => c.Action));
    }

    [Fact]
    public void Declining_later_removes_the_copy_and_says_why()
    {
        var accepted = Declined("o1") with { Attendees = [new EventAttendee { Email = "me@example.com", Self = true, ResponseStatus = "accepted" }] };
        var copy = CopyOf(Sync, accepted);
        var link = LinkOf(accepted, copy);
        var declined = Declined("o1") with { Etag = "\"2\"" };

        var delete = Assert.IsType<DeleteEvent>(Assert.Single(SyncPlanner.Plan(Input(Sync, a: [declined], links: [link])).Actions));

        Assert.Equal((Side.B, copy.Id), (delete.Target, delete.EventId));
        Assert.Equal("copy removed, its origin is no longer copied: the invitation was declined (rule copyToTarget.filter.skipDeclined)", delete.Change.Reason);
        Assert.Equal(SkippedOrigin.Of(Side.A, declined, new SkipCopy("copyToTarget.filter.skipDeclined", "the invitation was declined")), delete.Skipped);
    }

    [Fact]
    public void A_rule_change_removes_copies_that_now_fail_and_restyles_the_rest()
    {
        var (keep, drop) = (Event("o1", "Client call"), Event("o2", "Lunch"));
        var (keepCopy, dropCopy) = (CopyOf(Sync, keep), CopyOf(Sync, drop));
        var changed = Sync with
        {
            AToB = new CopyStyle
            {
                Filter = CopyFilter.Default with { Include = ["client"] },
                Look = CopyLook.Default with { Title = TitleRule.Template, TitleTemplate = "Work: {title}" },
            },
        };
        // A changed filter lists the origins in full: both are seen, unchanged.
        var input = Input(changed, a: [keep, drop], links: [LinkOf(keep, keepCopy), LinkOf(drop, dropCopy)]) with { Restyled = new HashSet<Side> { Side.B } };

        var actions = SyncPlanner.Plan(input).Actions;

        var update = Assert.Single(actions.OfType<UpdateCopy>());
        Assert.Equal((keepCopy.Id, "Work: Client call"), (update.EventId, update.Body.Summary));
        var delete = Assert.Single(actions.OfType<DeleteEvent>());
        Assert.Equal(dropCopy.Id, delete.EventId);
        Assert.Contains("rule copyToTarget.filter.include", delete.Change.Reason, StringComparison.Ordinal);
        Assert.Equal(2, actions.Count);
    }

    [Fact]
    public void Remembered_skips_of_origins_now_deleted_or_copied_are_stale_and_the_others_stay()
    {
        var skipped = Declined("still");
        var input = Input(Sync, a: [skipped, Event("copied", "Lunch"), Event("gone", "Golf") with { Status = EventStatus.Cancelled }]) with
        {
            Skipped = new Dictionary<(Side, string), string>
            {
                [(Side.A, "still")] = "f1", [(Side.A, "copied")] = "f2", [(Side.A, "gone")] = "f3", [(Side.A, "unseen")] = "f4",
            },
        };

        Assert.Equal([(Side.A, "copied"), (Side.A, "gone")], SyncPlanner.StaleSkips(input).Order());
    }

    [Fact]
    public void An_origin_that_now_passes_gets_its_copy()
    {
        var origin = Event("o1", "Lunch");

        var create = Assert.IsType<CreateCopy>(Assert.Single(SyncPlanner.Plan(Input(Sync, a: [origin]) with
        {
            Skipped = new Dictionary<(Side, string), string> { [(Side.A, "o1")] = "an earlier skip" },
        }).Actions));

        Assert.Equal("Lunch", create.Body.Summary);
    }

    [Fact]
    public void Two_way_each_direction_has_its_own_rules_and_copies_are_never_origins()
    {
        var sync = TwoWay() with
        {
            AToB = new CopyStyle { Filter = CopyFilter.Default with { AllDay = AllDayRule.Skip } },
            BToA = new CopyStyle { Look = CopyLook.Default with { Title = TitleRule.Template, TitleTemplate = "B: {title}" } },
        };
        var day = DateOnly.FromDateTime(Now.AddDays(2).UtcDateTime);
        var allDayA = Event("a1", "Holiday") with { Start = EventDateTime.AllDay(day), End = EventDateTime.AllDay(day.AddDays(1)) };
        var allDayB = Event("b1", "Trip") with { Start = EventDateTime.AllDay(day), End = EventDateTime.AllDay(day.AddDays(1)) };
        // A copy in A of some B event, which A's rules (all-day skipped) would not create: it is no origin.
        var copyInA = CopyOf(sync, allDayB with { Id = "b2" }, Side.B);

        var actions = SyncPlanner.Plan(Input(sync, a: [allDayA, copyInA], b: [allDayB])).Actions;

        Assert.Contains("(rule copyToTarget.filter.allDay)", Assert.IsType<SkipOrigin>(actions.Single(a => a.Change.OriginEventId == "a1")).Change.Reason, StringComparison.Ordinal);
        var created = Assert.IsType<CreateCopy>(actions.Single(a => a.Change.OriginEventId == "b1"));
        Assert.Equal((Side.A, "B: Trip"), (created.Target, created.Body.Summary));
        // The copy whose link was lost gets it back (the origin b2 was not read); it is never copied to B.
        var adopt = Assert.IsType<SaveLink>(Assert.Single(actions, a => a.Change.CopyEventId == copyInA.Id));
        Assert.Equal(Side.B, adopt.Link.OriginSide);
        Assert.Equal(3, actions.Count);
    }

    [Fact]
    public void Two_way_an_edited_templated_copy_carries_only_its_times_back()
    {
        var sync = TwoWay() with { AToB = new CopyStyle { Look = CopyLook.Default with { Title = TitleRule.Template, TitleTemplate = "W: {title}", ShowAs = ShowAsRule.Busy } } };
        var origin = Event("o1", "Review") with { Transparency = "transparent" };
        var copy = CopyOf(sync, origin);
        var link = LinkOf(origin, copy);
        var edited = copy with
        {
            Etag = "\"c2\"", Summary = "W: Review moved",
            Start = EventDateTime.At(Now.AddDays(3), "Europe/Berlin"), End = EventDateTime.At(Now.AddDays(3).AddHours(1), "Europe/Berlin"),
        };

        var actions = SyncPlanner.Plan(Input(sync, a: [origin], b: [edited], links: [link])).Actions;

        var patch = Assert.IsType<PatchOrigin>(actions[0]);
        Assert.Equal((null, null, null), (patch.Patch.Changes.Summary, patch.Patch.Changes.Transparency, patch.Patch.Changes.Description));
        Assert.Equal(edited.Start, patch.Patch.Changes.Start);
        // The copy's title goes back to what the template makes of the origin's.
        var fix = Assert.IsType<UpdateCopy>(actions[1]);
        Assert.Equal(("W: Review", "opaque"), (fix.Body.Summary, fix.Body.Transparency));
    }
}
