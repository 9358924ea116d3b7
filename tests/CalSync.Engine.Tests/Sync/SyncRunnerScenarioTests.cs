using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;

namespace CalSync.Engine.Tests.Sync;

/// <summary>The engine end to end against the emulator: reading, planning, writing, links, call budgets.</summary>
public sealed class SyncRunnerScenarioTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>
{
    private static readonly DateTimeOffset Tomorrow = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(9);

    [Fact]
    public async Task OneWay_initial_sync_copies_each_event_once_and_a_second_run_only_lists()
    {
        var s = await env.NewScenarioAsync();
        var day = DateOnly.FromDateTime(Tomorrow.UtcDateTime.AddDays(2));
        await Scenario.AddAsync(s.Source, Scenario.Timed("Standup", Tomorrow));
        await Scenario.AddAsync(s.Source, new GoogleEvent { Summary = "Holiday", Start = EventDateTime.AllDay(day), End = EventDateTime.AllDay(day.AddDays(1)) });
        await Scenario.AddAsync(s.Source, Scenario.Timed("Weekly", Tomorrow.AddHours(3)) with { Recurrence = ["RRULE:FREQ=WEEKLY;COUNT=3"] });

        var first = await s.RunAsync();

        Assert.Equal((5, 0, 0), (first.Created, first.Updated, first.Deleted));
        var copies = await Scenario.LiveEventsAsync(s.Target);
        Assert.Equal(5, copies.Count);
        Assert.All(copies, c => Assert.Equal(s.Sync.Id, CopyMarker.Read(c)!.SyncId));
        var holiday = Assert.Single(copies, c => c.Summary == "Holiday");
        Assert.Equal((day, day.AddDays(1)), (holiday.Start!.Date!.Value, holiday.End!.Date!.Value));

        await env.ResetStatsAsync();
        var second = await s.RunAsync();

        Assert.Equal((0, 0, 0), (second.Created, second.Updated, second.Deleted));
        Assert.Equal(1, (await env.CallsAsync(s.Source.Email)).GetValueOrDefault("calendar.events.list"));
        Assert.Equal(1, (await env.CallsAsync(s.Target.Email)).GetValueOrDefault("calendar.events.list"));
        Assert.Equal(2, second.ApiCalls);
    }

    [Fact]
    public async Task OneWay_updates_and_deletions_follow_the_origin_and_hand_edits_are_reverted()
    {
        var s = await env.NewScenarioAsync();
        var moving = await Scenario.AddAsync(s.Source, Scenario.Timed("Review", Tomorrow));
        var doomed = await Scenario.AddAsync(s.Source, Scenario.Timed("Cancelled later", Tomorrow.AddHours(2)));
        await s.RunAsync();
        var copyOfMoving = CopyIds.For(s.Sync.Id, Side.A, moving.Id!);

        await s.Source.Client.PatchEventAsync("primary", moving.Id!, new EventPatch { Changes = new GoogleEvent { Summary = "Review (moved)" } }, null, CancellationToken.None);
        await s.Source.Client.DeleteEventAsync("primary", doomed.Id!, null, CancellationToken.None);
        var run = await s.RunAsync();

        Assert.Equal((0, 1, 1), (run.Created, run.Updated, run.Deleted));
        Assert.Equal("Review (moved)", Assert.Single(await Scenario.LiveEventsAsync(s.Target)).Summary);

        await s.Target.Client.PatchEventAsync("primary", copyOfMoving, new EventPatch { Changes = new GoogleEvent { Summary = "Hijacked" } }, null, CancellationToken.None);
        await s.RunAsync();

        Assert.Equal("Review (moved)", (await s.Target.Client.GetEventAsync("primary", copyOfMoving, CancellationToken.None))!.Summary);
    }

    [Fact]
    public async Task Call_budget_initial_sync_of_N_then_k_changes_costs_exactly_lists_plus_writes_in_batches_of_50()
    {
        var s = await env.NewScenarioAsync();
        var origins = new List<GoogleEvent>();
        for (var i = 0; i < 120; i++)
        {
            origins.Add(await Scenario.AddAsync(s.Source, Scenario.Timed($"E{i}", Tomorrow.AddHours(i))));
        }
        await env.ResetStatsAsync();

        var initial = await s.RunAsync();

        // ⌈120/2500⌉ = 1 list per side, 120 inserts in ⌈120/50⌉ = 3 batch requests.
        Assert.Equal(120, initial.Created);
        Assert.Equal(1, (await env.CallsAsync(s.Source.Email)).GetValueOrDefault("calendar.events.list"));
        var target = await env.CallsAsync(s.Target.Email);
        Assert.Equal((1, 120), (target.GetValueOrDefault("calendar.events.list"), target.GetValueOrDefault("calendar.events.insert")));
        Assert.Equal(1 + 3, await env.HttpRequestsAsync(s.Target.Email));
        Assert.Equal(2 + 120, initial.ApiCalls);

        foreach (var e in origins.Take(7))
        {
            await s.Source.Client.PatchEventAsync("primary", e.Id!, new EventPatch { Changes = new GoogleEvent { Summary = e.Summary + "!" } }, null, CancellationToken.None);
        }
        await env.ResetStatsAsync();
        var changed = await s.RunAsync();

        // k = 7 changes: one list per side plus 7 updates in ⌈7/50⌉ = 1 batch request.
        Assert.Equal(7, changed.Updated);
        Assert.Equal(2 + 7, changed.ApiCalls);
        Assert.Equal(7, (await env.CallsAsync(s.Target.Email)).GetValueOrDefault("calendar.events.update"));
        Assert.Equal(1 + 1, await env.HttpRequestsAsync(s.Target.Email));
    }

    [Fact]
    public async Task A_copy_deleted_by_hand_is_recreated_under_the_same_id()
    {
        var s = await env.NewScenarioAsync();
        var origin = await Scenario.AddAsync(s.Source, Scenario.Timed("Keep me", Tomorrow));
        await s.RunAsync();
        var copyId = CopyIds.For(s.Sync.Id, Side.A, origin.Id!);

        await s.Target.Client.DeleteEventAsync("primary", copyId, null, CancellationToken.None);
        await s.RunAsync();

        var copy = Assert.Single(await Scenario.LiveEventsAsync(s.Target));
        Assert.Equal((copyId, "Keep me"), (copy.Id, copy.Summary));
    }

    [Fact]
    public async Task A_crash_between_a_write_and_its_link_is_adopted_on_the_rerun_without_duplicates()
    {
        var s = await env.NewScenarioAsync();
        await Scenario.AddAsync(s.Source, Scenario.Timed("Crash test", Tomorrow));

        await Assert.ThrowsAsync<SimulatedCrashException>(() => s.RunAsync(b: new CrashAfterWrites(s.B)));
        Assert.Single(await Scenario.LiveEventsAsync(s.Target)); // Written, but no link stored.

        var rerun = await s.RunAsync();

        Assert.Equal(0, rerun.Created);
        Assert.Contains(rerun.Changes, c => c.Action == RunChange.Adopt);
        Assert.Single(await Scenario.LiveEventsAsync(s.Target));
        Assert.Equal(0, (await s.RunAsync()).Changes.Count(c => c.Action != RunChange.Skip));
    }

    [Fact]
    public async Task After_410_a_full_listing_still_propagates_deletions_made_meanwhile()
    {
        var s = await env.NewScenarioAsync();
        var doomed = await Scenario.AddAsync(s.Source, Scenario.Timed("Gone while token expired", Tomorrow));
        await Scenario.AddAsync(s.Source, Scenario.Timed("Stays", Tomorrow.AddHours(1)));
        await s.RunAsync();

        await s.Source.Client.DeleteEventAsync("primary", doomed.Id!, null, CancellationToken.None);
        await env.ExpireSyncTokensAsync(s.Source.Email);
        var run = await s.RunAsync();

        Assert.Equal(1, run.Deleted);
        Assert.Equal("Stays", Assert.Single(await Scenario.LiveEventsAsync(s.Target)).Summary);
    }

    [Fact]
    public async Task TwoWay_an_edit_to_a_copy_patches_the_origin_and_keeps_its_attendees()
    {
        var s = await env.NewScenarioAsync(SyncDirection.TwoWay);
        var origin = await Scenario.AddAsync(s.Source, Scenario.Timed("Planning", Tomorrow));
        using (await env.RawAsync(s.Source, HttpMethod.Patch, $"calendar/v3/calendars/primary/events/{origin.Id}",
            new { attendees = new[] { new { email = "guest@example.com" } } })) { }
        await s.RunAsync();
        var copyId = CopyIds.For(s.Sync.Id, Side.A, origin.Id!);

        await s.Target.Client.PatchEventAsync("primary", copyId, new EventPatch { Changes = new GoogleEvent { Summary = "Planning (room 4)" } }, null, CancellationToken.None);
        var run = await s.RunAsync();
        var again = await s.RunAsync();

        Assert.Equal(1, run.Updated);
        using var raw = await env.RawAsync(s.Source, HttpMethod.Get, $"calendar/v3/calendars/primary/events/{origin.Id}");
        var body = await raw.Content.ReadAsStringAsync();
        Assert.Contains("Planning (room 4)", body, StringComparison.Ordinal);
        Assert.Contains("guest@example.com", body, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0), (again.Created, again.Updated, again.Deleted));
    }

    [Fact]
    public async Task The_mass_deletion_guard_stops_before_deleting_most_copies()
    {
        var s = await env.NewScenarioAsync();
        var origins = new List<GoogleEvent>();
        for (var i = 0; i < 12; i++)
        {
            origins.Add(await Scenario.AddAsync(s.Source, Scenario.Timed($"E{i}", Tomorrow.AddHours(i))));
        }
        await s.RunAsync();
        foreach (var e in origins)
        {
            await s.Source.Client.DeleteEventAsync("primary", e.Id!, null, CancellationToken.None);
        }

        var guarded = await s.RunAsync();

        Assert.True(guarded.NeedsConfirmation);
        Assert.Equal(12, (await Scenario.LiveEventsAsync(s.Target)).Count);
        var confirmed = await s.RunAsync(new RunFlags(ConfirmDeletes: true));
        Assert.Equal(12, confirmed.Deleted);
    }
}

public sealed class SimulatedCrashException() : Exception("Simulated crash after Google accepted the writes.");

/// <summary>Lets the writes reach Google, then fails as if the process died before storing links.</summary>
internal sealed class CrashAfterWrites(ICalendarSide inner) : DelegatingSide(inner)
{
    public override async Task<IReadOnlyList<BatchResult>> ExecuteAsync(IReadOnlyList<CalendarOperation> operations, CancellationToken cancellationToken)
    {
        await Inner.ExecuteAsync(operations, cancellationToken);
        throw new SimulatedCrashException();
    }
}
