using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;
using static CalSync.Engine.Tests.Sync.PlannerFixture;

namespace CalSync.Engine.Tests.Sync;

/// <summary>Two-way: copies of origins the person may not change (invitations, out-of-office...) are read-only.</summary>
public sealed class SyncPlannerReadOnlyOriginTests
{
    private static readonly EventPerson Boss = new() { Email = "boss@example.com", Self = false };

    public static TheoryData<string, GoogleEvent> ReadOnlyOrigins => new()
    {
        { "invitation organised by boss@example.com", Event("o1") with { Organizer = Boss } },
        { "out-of-office", Event("o1") with { EventType = EventTypes.OutOfOffice } },
        { "focus-time", Event("o1") with { EventType = EventTypes.FocusTime } },
        { "Gmail", Event("o1") with { EventType = EventTypes.FromGmail } },
    };

    [Theory]
    [MemberData(nameof(ReadOnlyOrigins))]
    public void Plan_ReadOnlyOriginsCopyEdited_RevertsTheCopyAndNeverTouchesTheOrigin(string why, GoogleEvent origin)
    {
        var sync = TwoWay();
        var copy = CopyOf(sync, origin);
        var edited = copy with { Summary = "Renamed in B", Etag = "\"c2\"" };

        var action = Assert.Single(SyncPlanner.Plan(Input(sync, a: [origin], b: [edited], links: [LinkOf(origin, copy)])).Actions);

        var revert = Assert.IsType<UpdateCopy>(action);
        Assert.Equal((Side.B, copy.Id, "\"c2\""), (revert.Target, revert.EventId, revert.IfMatch));
        Assert.Equal(origin.Summary, revert.Body.Summary);
        Assert.Contains(why, revert.Change.Reason, StringComparison.Ordinal);
        Assert.Contains("read-only", revert.Change.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ReadOnlyOrigins))]
    public void Plan_ReadOnlyOriginsCopyDeleted_RestoresTheCopy(string why, GoogleEvent origin)
    {
        var sync = TwoWay();
        var copy = CopyOf(sync, origin);

        var action = Assert.Single(SyncPlanner.Plan(Input(sync, a: [origin], b: [Cancelled(copy)], links: [LinkOf(origin, copy)])).Actions);

        var restore = Assert.IsType<UpdateCopy>(action);
        Assert.Equal((Side.B, copy.Id), (restore.Target, restore.EventId));
        Assert.Equal(EventStatus.Confirmed, restore.Body.Status);
        Assert.Contains(why, restore.Change.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_InvitationGuestsMayModify_EditTravelsBackButADeletionRestoresTheCopy()
    {
        var sync = TwoWay();
        var origin = Event("o1") with { Organizer = Boss, GuestsCanModify = true };
        var copy = CopyOf(sync, origin);

        var edit = SyncPlanner.Plan(Input(sync, a: [origin], b: [copy with { Summary = "Renamed", Etag = "\"c2\"" }], links: [LinkOf(origin, copy)])).Actions;
        var deletion = SyncPlanner.Plan(Input(sync, a: [origin], b: [Cancelled(copy)], links: [LinkOf(origin, copy)])).Actions;

        Assert.Equal("Renamed", Assert.IsType<PatchOrigin>(Assert.Single(edit)).Patch.Changes.Summary);
        Assert.IsType<UpdateCopy>(Assert.Single(deletion));
    }

    [Fact]
    public void Plan_EventTheyOrganise_EditTravelsBackAsBefore()
    {
        var sync = TwoWay();
        var origin = Event("o1") with { Organizer = new EventPerson { Email = "me@example.com", Self = true } };
        var copy = CopyOf(sync, origin);

        var actions = SyncPlanner.Plan(Input(sync, a: [origin], b: [Cancelled(copy)], links: [LinkOf(origin, copy)])).Actions;

        Assert.Equal(Side.A, Assert.IsType<DeleteEvent>(Assert.Single(actions)).Target);
    }

    [Fact]
    public void Plan_BothChangedAndThePolicyFavoursTheCopy_TheReadOnlyOriginWinsAnyway()
    {
        var sync = TwoWay(ConflictPolicy.TargetWins);
        var origin = Event("o1") with { Organizer = Boss };
        var copy = CopyOf(sync, origin);
        var movedOrigin = origin with { Summary = "Moved by the boss", Etag = "\"2\"" };

        var actions = SyncPlanner.Plan(Input(sync, a: [movedOrigin], b: [copy with { Summary = "Mine", Etag = "\"c2\"" }], links: [LinkOf(origin, copy)])).Actions;

        Assert.DoesNotContain(actions, a => a is PatchOrigin or DeleteEvent);
        Assert.Equal("Moved by the boss", actions.OfType<UpdateCopy>().Single().Body.Summary);
        Assert.Contains("read-only", actions.OfType<Note>().Single().Change.Reason, StringComparison.Ordinal);
    }
}
