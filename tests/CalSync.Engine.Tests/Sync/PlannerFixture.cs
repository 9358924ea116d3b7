using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;

namespace CalSync.Engine.Tests.Sync;

/// <summary>Builds planner inputs: events, links and syncs, with a fixed "now".</summary>
internal static class PlannerFixture
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    public static SyncDefinition OneWay(Guid? id = null) => new()
    {
        Id = id ?? Guid.Parse("11111111-2222-3333-4444-555555555555"),
        Direction = SyncDirection.OneWay,
        A = new CalendarRef(Guid.NewGuid(), "primary"),
        B = new CalendarRef(Guid.NewGuid(), "target@group.calendar.google.com"),
    };

    public static SyncDefinition TwoWay(ConflictPolicy policy = ConflictPolicy.OriginWins) =>
        OneWay() with { Direction = SyncDirection.TwoWay, ConflictPolicy = policy };

    public static GoogleEvent Event(string id, string summary = "Meeting", int dayOffset = 1, string etag = "\"1\"") => new()
    {
        Id = id,
        Etag = etag,
        Status = EventStatus.Confirmed,
        Summary = summary,
        Start = EventDateTime.At(Now.AddDays(dayOffset).AddHours(1), "Europe/Berlin"),
        End = EventDateTime.At(Now.AddDays(dayOffset).AddHours(2), "Europe/Berlin"),
        Updated = Now,
    };

    public static GoogleEvent Cancelled(GoogleEvent e) => e with { Status = EventStatus.Cancelled, Etag = "\"gone\"" };

    /// <summary>A copy as the engine would have written it (and Google returned it).</summary>
    public static GoogleEvent CopyOf(SyncDefinition sync, GoogleEvent origin, Side originSide = Side.A) =>
        CopyRules.Render(origin, sync.StyleForCopiesOf(originSide), sync.LabelOf(originSide), sync.Id, CopyIds.For(sync.Id, originSide, origin.Id!)) with { Etag = "\"c1\"" };

    /// <summary>The link stored after origin and copy were last in step.</summary>
    public static EventLink LinkOf(GoogleEvent origin, GoogleEvent copy, Side originSide = Side.A) =>
        EventLink.Between(originSide, origin.Id!, copy.Id!, origin.RecurringEventId)
            .With(originSide, EventContent.HashOf(origin), origin.Etag)
            .With(originSide.Other(), EventContent.HashOf(copy), copy.Etag);

    public static PlanInput Input(SyncDefinition sync, IEnumerable<GoogleEvent>? a = null, IEnumerable<GoogleEvent>? b = null, IEnumerable<EventLink>? links = null) => new()
    {
        Sync = sync,
        Window = SyncWindow.For(sync, Now),
        SeenA = (a ?? []).ToDictionary(e => e.Id!),
        SeenB = (b ?? []).ToDictionary(e => e.Id!),
        Links = [.. links ?? []],
    };
}
