using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;
using static CalSync.Engine.Tests.Sync.PlannerFixture;

namespace CalSync.Engine.Tests.Sync;

public sealed class SyncPlannerOneWayTests
{
    private readonly SyncDefinition _sync = OneWay();

    [Fact]
    public void Plan_NewOriginInWindow_CreatesMarkedCopyUnderDeterministicId()
    {
        var origin = Event("origin1") with { Description = "agenda", ColorId = "3" };

        var plan = SyncPlanner.Plan(Input(_sync, a: [origin]));

        var create = Assert.IsType<CreateCopy>(Assert.Single(plan.Actions));
        Assert.Equal(Side.B, create.Target);
        Assert.Equal(CopyIds.For(_sync.Id, Side.A, "origin1"), create.Body.Id);
        Assert.Equal(("Meeting", "agenda", "3"), (create.Body.Summary, create.Body.Description, create.Body.ColorId));
        Assert.Equal(new CopyMarker(_sync.Id, "origin1"), CopyMarker.Read(create.Body));
        Assert.Equal(false, create.Body.Reminders?.UseDefault);
        Assert.Equal(EventContent.HashOf(origin), create.Link.AHash);
        Assert.Equal(RunChange.Create, create.Change.Action);
    }

    [Fact]
    public void Plan_NewOriginOutsideWindow_DoesNothing()
    {
        var plan = SyncPlanner.Plan(Input(_sync, a: [Event("far", dayOffset: 200), Event("past", dayOffset: -3)]));

        Assert.Empty(plan.Actions);
    }

    [Fact]
    public void Plan_AllDayOriginOnLastDayOfWindow_IsCopiedAsAllDay()
    {
        var day = DateOnly.FromDateTime(Now.AddDays(90).UtcDateTime);
        var origin = Event("allday") with { Start = EventDateTime.AllDay(day), End = EventDateTime.AllDay(day.AddDays(1)) };

        var create = Assert.IsType<CreateCopy>(Assert.Single(SyncPlanner.Plan(Input(_sync, a: [origin])).Actions));

        Assert.Equal((day, (DateTimeOffset?)null), (create.Body.Start!.Date!.Value, create.Body.Start.DateTime));
        Assert.Equal(day.AddDays(1), create.Body.End!.Date);
    }

    [Theory]
    [InlineData(EventTypes.WorkingLocation)]
    [InlineData(EventTypes.Birthday)]
    public void Plan_OriginOfSkippedType_RecordsSkip(string eventType)
    {
        var plan = SyncPlanner.Plan(Input(_sync, a: [Event("wl") with { EventType = eventType }]));

        var note = Assert.IsType<SkipOrigin>(Assert.Single(plan.Actions));
        Assert.Equal(RunChange.Skip, note.Change.Action);
    }

    [Theory]
    [InlineData(EventTypes.OutOfOffice)]
    [InlineData(EventTypes.FocusTime)]
    public void Plan_OutOfOfficeOrFocusTime_BecomesBusyDefaultEvent(string eventType)
    {
        var origin = Event("ooo", "Away") with { EventType = eventType, Transparency = "transparent" };

        var create = Assert.IsType<CreateCopy>(Assert.Single(SyncPlanner.Plan(Input(_sync, a: [origin])).Actions));

        Assert.Null(create.Body.EventType);
        Assert.Null(create.Body.OutOfOfficeProperties);
        Assert.Null(create.Body.FocusTimeProperties);
        Assert.Equal(("Away", "opaque"), (create.Body.Summary, create.Body.Transparency));
    }

    [Fact]
    public void Plan_PrivacyMode_HidesContentButKeepsTimes()
    {
        var sync = _sync with { AToB = new CopyStyle(Privacy: true, Placeholder: "Blocked", ColorId: "11") };
        var origin = Event("secret", "Doctor") with { Description = "private", Location = "Clinic" };

        var create = Assert.IsType<CreateCopy>(Assert.Single(SyncPlanner.Plan(Input(sync, a: [origin])).Actions));

        Assert.Equal(("Blocked", null, null, "private", "11"), (create.Body.Summary, create.Body.Description, create.Body.Location, create.Body.Visibility, create.Body.ColorId));
        Assert.Equal(origin.Start, create.Body.Start);
    }

    [Fact]
    public void Plan_UnlinkedEventsOnTarget_AreLeftAlone()
    {
        var plan = SyncPlanner.Plan(Input(_sync, b: [Event("theirs"), Cancelled(Event("gone"))]));

        Assert.Empty(plan.Actions);
    }

    [Fact]
    public void Plan_CopyMadeByAnotherSyncInSource_IsNeverAnOrigin()
    {
        var otherSync = OneWay(Guid.NewGuid());
        var foreignCopy = CopyOf(otherSync, Event("elsewhere"));

        Assert.Empty(SyncPlanner.Plan(Input(_sync, a: [foreignCopy])).Actions);
    }

    [Fact]
    public void Plan_LinkedOriginChanged_UpdatesCopyWithIfMatch()
    {
        var origin = Event("o1");
        var copy = CopyOf(_sync, origin);
        var link = LinkOf(origin, copy);
        var moved = origin with { Summary = "Moved", Start = EventDateTime.At(Now.AddDays(5)), End = EventDateTime.At(Now.AddDays(5).AddHours(1)), Etag = "\"2\"" };

        var update = Assert.IsType<UpdateCopy>(Assert.Single(SyncPlanner.Plan(Input(_sync, a: [moved], links: [link])).Actions));

        Assert.Equal((Side.B, copy.Id, "\"c1\""), (update.Target, update.EventId, update.IfMatch));
        Assert.Equal("Moved", update.Body.Summary);
        Assert.Equal(EventContent.HashOf(moved), update.Link.AHash);
    }

    [Fact]
    public void Plan_LinkedOriginMovedOutsideWindow_CopyFollows()
    {
        var origin = Event("o1");
        var copy = CopyOf(_sync, origin);
        var far = origin with { Start = EventDateTime.At(Now.AddDays(400)), End = EventDateTime.At(Now.AddDays(400).AddHours(1)) };

        var update = Assert.IsType<UpdateCopy>(Assert.Single(SyncPlanner.Plan(Input(_sync, a: [far], links: [LinkOf(origin, copy)])).Actions));

        Assert.Equal(far.Start, update.Body.Start);
    }

    [Fact]
    public void Plan_LinkedOriginDeleted_DeletesCopy()
    {
        var origin = Event("o1");
        var copy = CopyOf(_sync, origin);

        var delete = Assert.IsType<DeleteEvent>(Assert.Single(SyncPlanner.Plan(Input(_sync, a: [Cancelled(origin)], links: [LinkOf(origin, copy)])).Actions));

        Assert.Equal((Side.B, copy.Id, "\"c1\""), (delete.Target, delete.EventId, delete.IfMatch));
    }

    [Fact]
    public void Plan_OriginDeletedAndCopyAlreadyGone_OnlyForgetsLink()
    {
        var origin = Event("o1");
        var copy = CopyOf(_sync, origin);

        var action = Assert.Single(SyncPlanner.Plan(Input(_sync, a: [Cancelled(origin)], b: [Cancelled(copy)], links: [LinkOf(origin, copy)])).Actions);

        Assert.IsType<RemoveLink>(action);
    }

    [Fact]
    public void Plan_CopyEditedByHand_IsReverted()
    {
        var origin = Event("o1");
        var copy = CopyOf(_sync, origin);
        var edited = copy with { Summary = "Hijacked", Etag = "\"c2\"" };

        var update = Assert.IsType<UpdateCopy>(Assert.Single(SyncPlanner.Plan(Input(_sync, a: [origin], b: [edited], links: [LinkOf(origin, copy)])).Actions));

        Assert.Equal(("Meeting", "\"c2\""), (update.Body.Summary, update.IfMatch));
    }

    [Fact]
    public void Plan_CopyDeletedByHand_IsRestoredUnderSameId()
    {
        var origin = Event("o1");
        var copy = CopyOf(_sync, origin);

        var update = Assert.IsType<UpdateCopy>(Assert.Single(SyncPlanner.Plan(Input(_sync, a: [origin], b: [Cancelled(copy)], links: [LinkOf(origin, copy)])).Actions));

        Assert.Equal(copy.Id, update.EventId);
        Assert.Equal(EventStatus.Confirmed, update.Body.Status);
    }

    [Fact]
    public void RequiredReads_CopyChangedWhileOriginUnseen_AsksForOrigin()
    {
        var origin = Event("o1");
        var copy = CopyOf(_sync, origin);
        var input = Input(_sync, b: [copy with { Summary = "x" }], links: [LinkOf(origin, copy)]);

        Assert.Equal([(Side.A, "o1")], SyncPlanner.RequiredReads(input));
        Assert.Empty(SyncPlanner.RequiredReads(Input(_sync, b: [copy], links: [LinkOf(origin, copy)])));
    }

    [Fact]
    public void Plan_NothingChanged_PlansNothing()
    {
        var origin = Event("o1");
        var copy = CopyOf(_sync, origin);

        Assert.Empty(SyncPlanner.Plan(Input(_sync, a: [origin], b: [copy], links: [LinkOf(origin, copy)])).Actions);
        Assert.Empty(SyncPlanner.Plan(Input(_sync, links: [LinkOf(origin, copy)])).Actions);
    }

    [Fact]
    public void Plan_OriginChangedOutsidePrivacyFields_WritesNothingButRemembers()
    {
        var sync = _sync with { AToB = new CopyStyle(Privacy: true) };
        var origin = Event("o1");
        var copy = CopyOf(sync, origin);
        var renamed = origin with { Summary = "Renamed", Etag = "\"2\"" };

        var save = Assert.IsType<SaveLink>(Assert.Single(SyncPlanner.Plan(Input(sync, a: [renamed], links: [LinkOf(origin, copy)])).Actions));

        Assert.Equal(EventContent.HashOf(renamed), save.Link.AHash);
    }

    [Fact]
    public void Plan_CopyAlreadyThereFromInterruptedRun_IsAdoptedNotDuplicated()
    {
        var origin = Event("o1");
        var copy = CopyOf(_sync, origin);

        var identical = SyncPlanner.Plan(Input(_sync, a: [origin], b: [copy])).Actions;
        var stale = SyncPlanner.Plan(Input(_sync, a: [origin with { Summary = "Newer" }], b: [copy])).Actions;

        Assert.Equal(RunChange.Adopt, Assert.IsType<SaveLink>(Assert.Single(identical)).Change.Action);
        var update = Assert.IsType<UpdateCopy>(Assert.Single(stale));
        Assert.Equal((copy.Id, "Newer"), (update.EventId, update.Body.Summary));
    }

    [Fact]
    public void Plan_OurCopyWithoutLinkAndOriginUnseen_RebuildsLinkFromMarker()
    {
        var copy = CopyOf(_sync, Event("o1"));

        var save = Assert.IsType<SaveLink>(Assert.Single(SyncPlanner.Plan(Input(_sync, b: [copy])).Actions));

        Assert.Equal((Side.A, "o1", copy.Id, (string?)null), (save.Link.OriginSide, save.Link.AEventId, save.Link.BEventId, save.Link.AHash));
    }

    [Fact]
    public void Plan_CancelledSeriesMaster_DeletesCopiesOfItsInstances()
    {
        var first = Event("series_20261124T100000Z") with { RecurringEventId = "series" };
        var second = Event("series_20261201T100000Z", dayOffset: 8) with { RecurringEventId = "series" };
        var (firstCopy, secondCopy) = (CopyOf(_sync, first), CopyOf(_sync, second));
        var master = Cancelled(Event("series"));

        var plan = SyncPlanner.Plan(Input(_sync, a: [master], links: [LinkOf(first, firstCopy), LinkOf(second, secondCopy)]));

        Assert.Equal([firstCopy.Id, secondCopy.Id], plan.Actions.OfType<DeleteEvent>().Select(d => d.EventId));
        Assert.Equal(2, plan.Deletes);
    }

    [Fact]
    public void RequiredReads_SeriesChanged_AsksForItsUnseenLinkedInstances()
    {
        var old = Event("series_20261124T100000Z") with { RecurringEventId = "series" };
        var oldCopy = CopyOf(_sync, old);
        var movedInstance = Event("series_20261126T100000Z", dayOffset: 3) with { RecurringEventId = "series" };

        var reads = SyncPlanner.RequiredReads(Input(_sync, a: [movedInstance], links: [LinkOf(old, oldCopy)]));

        Assert.Equal([(Side.A, old.Id!)], reads);
    }
}
