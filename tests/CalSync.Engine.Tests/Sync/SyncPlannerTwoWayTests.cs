using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;
using static CalSync.Engine.Tests.Sync.PlannerFixture;

namespace CalSync.Engine.Tests.Sync;

public sealed class SyncPlannerTwoWayTests
{
    [Fact]
    public void Plan_NewOriginOnEitherSide_CopiedToTheOtherWithThatDirectionsStyle()
    {
        var sync = TwoWay() with { BToA = new CopyStyle(Privacy: true, Placeholder: "Busy (B)") };

        var plan = SyncPlanner.Plan(Input(sync, a: [Event("fromA")], b: [Event("fromB", "Dentist")]));

        var creates = plan.Actions.OfType<CreateCopy>().ToDictionary(c => c.Target);
        Assert.Equal(("Meeting", CopyIds.For(sync.Id, Side.A, "fromA")), (creates[Side.B].Body.Summary, creates[Side.B].Body.Id));
        Assert.Equal(("Busy (B)", CopyIds.For(sync.Id, Side.B, "fromB")), (creates[Side.A].Body.Summary, creates[Side.A].Body.Id));
    }

    [Fact]
    public void Plan_CopyEdited_PatchesOnlyChangedFieldsOfOrigin()
    {
        var sync = TwoWay();
        var origin = Event("o1") with { Description = "keep me" };
        var copy = CopyOf(sync, origin);
        var edited = copy with { Summary = "Renamed in B", Etag = "\"c2\"" };

        var patch = Assert.IsType<PatchOrigin>(Assert.Single(SyncPlanner.Plan(Input(sync, b: [edited], a: [origin], links: [LinkOf(origin, copy)])).Actions));

        Assert.Equal((Side.A, "o1", "\"1\""), (patch.Target, patch.EventId, patch.IfMatch));
        Assert.Equal("Renamed in B", patch.Patch.Changes.Summary);
        Assert.Null(patch.Patch.Changes.Description);
        Assert.Null(patch.Patch.Changes.Start);
        Assert.Empty(patch.Patch.Clear);
        Assert.Equal(EventContent.HashOf(edited), patch.Link.BHash);
    }

    [Fact]
    public void Plan_PrivacyCopyEdited_CarriesOnlyTimesBack()
    {
        var sync = TwoWay() with { AToB = new CopyStyle(Privacy: true) };
        var origin = Event("o1", "Secret");
        var copy = CopyOf(sync, origin);
        var moved = copy with { Summary = "Busy but renamed", Start = EventDateTime.At(Now.AddDays(3)), End = EventDateTime.At(Now.AddDays(3).AddHours(1)) };

        var actions = SyncPlanner.Plan(Input(sync, a: [origin], b: [moved], links: [LinkOf(origin, copy)])).Actions;

        var patch = Assert.IsType<PatchOrigin>(actions[0]);
        Assert.Null(patch.Patch.Changes.Summary);
        Assert.Equal(moved.Start, patch.Patch.Changes.Start);
        // The copy's renamed placeholder is put back, so the next run has nothing to do.
        var fix = Assert.IsType<UpdateCopy>(actions[1]);
        Assert.Equal("Busy", fix.Body.Summary);
    }

    [Fact]
    public void Plan_CopyDeleted_DeletesOrigin()
    {
        var sync = TwoWay();
        var origin = Event("o1");
        var copy = CopyOf(sync, origin);

        var delete = Assert.IsType<DeleteEvent>(Assert.Single(SyncPlanner.Plan(Input(sync, a: [origin], b: [Cancelled(copy)], links: [LinkOf(origin, copy)])).Actions));

        Assert.Equal((Side.A, "o1", "\"1\""), (delete.Target, delete.EventId, delete.IfMatch));
    }

    [Theory]
    [InlineData(ConflictPolicy.OriginWins, "origin edit")]
    [InlineData(ConflictPolicy.SourceWins, "origin edit")]
    [InlineData(ConflictPolicy.TargetWins, "copy edit")]
    [InlineData(ConflictPolicy.NewestWins, "copy edit")]
    public void Plan_BothChanged_ConflictPolicyPicksWinner(ConflictPolicy policy, string expectedSummary)
    {
        var sync = TwoWay(policy);
        var origin = Event("o1");
        var copy = CopyOf(sync, origin);
        var originEdit = origin with { Summary = "origin edit", Etag = "\"2\"", Updated = Now.AddMinutes(1) };
        var copyEdit = copy with { Summary = "copy edit", Etag = "\"c2\"", Updated = Now.AddMinutes(2) };

        var actions = SyncPlanner.Plan(Input(sync, a: [originEdit], b: [copyEdit], links: [LinkOf(origin, copy)])).Actions;

        Assert.Equal(RunChange.Conflict, Assert.IsType<Note>(actions[0]).Change.Action);
        var written = actions.Skip(1).Select(a => a switch
        {
            UpdateCopy u => u.Body.Summary,
            PatchOrigin p => p.Patch.Changes.Summary,
            _ => null,
        }).First();
        Assert.Equal(expectedSummary, written);
    }

    [Fact]
    public void Plan_OriginDeletedWhileCopyEdited_DeletionWinsEvenForCopyPolicies()
    {
        var sync = TwoWay(ConflictPolicy.TargetWins);
        var origin = Event("o1");
        var copy = CopyOf(sync, origin);

        var actions = SyncPlanner.Plan(Input(sync, a: [Cancelled(origin)], b: [copy with { Summary = "edited" }], links: [LinkOf(origin, copy)])).Actions;

        Assert.Equal(Side.B, Assert.IsType<DeleteEvent>(actions[^1]).Target);
    }

    [Fact]
    public void Plan_CopyEditMatchingOrigin_OnlyRemembersNewCopyState()
    {
        var sync = TwoWay();
        var origin = Event("o1");
        var copy = CopyOf(sync, origin);
        var touched = copy with { Etag = "\"c9\"", Location = null };

        // Same content, new etag: nothing changed that CalSync syncs.
        Assert.Empty(SyncPlanner.Plan(Input(sync, a: [origin], b: [touched], links: [LinkOf(origin, copy)])).Actions);
    }

    [Fact]
    public void Plan_OriginFromBLinkedPair_UsesBStyleAndDirection()
    {
        var sync = TwoWay();
        var origin = Event("bOrigin");
        var copy = CopyOf(sync, origin, Side.B);
        var link = LinkOf(origin, copy, Side.B);

        var update = Assert.IsType<UpdateCopy>(Assert.Single(SyncPlanner.Plan(Input(sync, b: [origin with { Summary = "changed" }], links: [link])).Actions));

        Assert.Equal((Side.A, copy.Id), (update.Target, update.EventId));
    }
}
