using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;

namespace CalSync.Engine.Tests.Sync;

/// <summary>Copy rules end to end against the emulator: declined invitations, a rule change with its dry run, skips said once, and their cost.</summary>
public sealed class CopyRuleRunTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>
{
    private static readonly DateTimeOffset Today = new(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);

    private static async Task AnswerAsync(Google.Integration.ConnectedAccount guest, string eventId, string answer)
    {
        var invitation = (await guest.Client.GetEventAsync("primary", eventId, CancellationToken.None))!;
        var attendees = invitation.Attendees!.Select(a => a.Self == true ? a with { ResponseStatus = answer } : a).ToList();
        await guest.Client.PatchEventAsync("primary", eventId, new EventPatch { Changes = new GoogleEvent { Attendees = attendees } }, null, CancellationToken.None);
    }

    [Fact]
    public async Task A_declined_invitation_is_not_copied_and_its_copy_goes_when_declined_later()
    {
        var s = await env.NewScenarioAsync();
        var organizer = await env.ConnectNewAccountAsync("organizer");
        var invitation = await Scenario.AddAsync(organizer, Scenario.Timed("Offsite", Today.AddDays(2).AddHours(9)) with
        {
            Attendees = [new EventAttendee { Email = s.Source.Email }],
        });
        var declined = await Scenario.AddAsync(organizer, Scenario.Timed("Golf", Today.AddDays(3).AddHours(9)) with
        {
            Attendees = [new EventAttendee { Email = s.Source.Email }],
        });
        await AnswerAsync(s.Source, declined.Id!, "declined");

        var first = await s.RunAsync();

        Assert.Equal(1, first.Created);
        var skip = Assert.Single(first.Changes, c => c.Action == RunChange.Skip);
        Assert.Equal((declined.Id, "not copied: the invitation was declined (rule copyToTarget.filter.skipDeclined)"), (skip.OriginEventId, skip.Reason));
        Assert.Equal(["Offsite"], (await Scenario.LiveEventsAsync(s.Target)).Select(e => e.Summary));

        // A full listing sees the declined invitation again: it was said once, so nothing is said now.
        var relisted = await s.RunAsync(new RunFlags(FullResync: true));
        Assert.Empty(relisted.Changes);

        await AnswerAsync(s.Source, invitation.Id!, "declined");
        var later = await s.RunAsync();

        var removed = Assert.Single(later.Changes);
        Assert.Equal((RunChange.Delete, invitation.Id), (removed.Action, removed.OriginEventId));
        Assert.Contains("rule copyToTarget.filter.skipDeclined", removed.Reason, StringComparison.Ordinal);
        Assert.Empty(await Scenario.LiveEventsAsync(s.Target));
        Assert.Empty((await s.RunAsync(new RunFlags(FullResync: true))).Changes);
    }

    private async Task<List<string>> RememberedSkipsAsync(Guid syncId)
    {
        await using var connection = await env.Database.DataSource.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand("select event_id from skipped_origins where sync_id = @syncId order by event_id", connection);
        command.Parameters.AddWithValue("syncId", syncId);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    [Fact]
    public async Task A_remembered_skip_is_forgotten_once_its_origin_is_copied_or_deleted()
    {
        var s = await env.NewScenarioAsync();
        var organizer = await env.ConnectNewAccountAsync("organizer");
        var invited = new[] { new EventAttendee { Email = s.Source.Email } };
        var accepted = await Scenario.AddAsync(organizer, Scenario.Timed("Offsite", Today.AddDays(2).AddHours(9)) with { Attendees = invited });
        var cancelled = await Scenario.AddAsync(organizer, Scenario.Timed("Golf", Today.AddDays(3).AddHours(9)) with { Attendees = invited });
        var kept = await Scenario.AddAsync(organizer, Scenario.Timed("Gala", Today.AddDays(4).AddHours(19)) with { Attendees = invited });
        foreach (var e in new[] { accepted, cancelled, kept })
        {
            await AnswerAsync(s.Source, e.Id!, "declined");
        }
        await s.RunAsync();
        Assert.Equal(new[] { accepted.Id!, cancelled.Id!, kept.Id! }.Order(StringComparer.Ordinal), await RememberedSkipsAsync(s.Sync.Id));

        await AnswerAsync(s.Source, accepted.Id!, "accepted");
        await organizer.Client.DeleteEventAsync("primary", cancelled.Id!, null, CancellationToken.None);
        var run = await s.RunAsync();

        Assert.Equal(1, run.Created);
        Assert.Equal([kept.Id!], await RememberedSkipsAsync(s.Sync.Id));
        Assert.Empty((await s.RunAsync(new RunFlags(FullResync: true))).Changes);
    }

    [Fact]
    public async Task A_rule_change_applies_to_existing_copies_after_a_dry_run_shows_it_and_costs_no_extra_calls()
    {
        var s = await env.NewScenarioAsync();
        await Scenario.AddAsync(s.Source, Scenario.Timed("Client call", Today.AddDays(1).AddHours(9)));
        await Scenario.AddAsync(s.Source, Scenario.Timed("Lunch", Today.AddDays(1).AddHours(12)));
        var later = await Scenario.AddAsync(s.Source, Scenario.Timed("Client dinner", Today.AddDays(2).AddHours(19)) with { Transparency = "transparent" });
        Assert.Equal(3, (await s.RunAsync()).Created);
        await s.RunAsync();
        var before = await Scenario.LiveEventsAsync(s.Target);
        var ruled = s with
        {
            Sync = s.Sync with
            {
                AToB = new CopyStyle
                {
                    Filter = CopyFilter.Default with { Include = ["client"], FreeEvents = FreeEventRule.Skip },
                    Look = CopyLook.Default with { Title = TitleRule.Template, TitleTemplate = "Work: {title}", Reminders = ReminderRule.CalendarDefault },
                },
            },
        };

        await env.ResetStatsAsync();
        var dry = await ruled.RunAsync(new RunFlags(DryRun: true));

        Assert.Equal((0, 1, 2), (dry.Created, dry.Updated, dry.Deleted));
        // The changed filter lists the origins in full: one list call per side, and no write.
        Assert.Equal(new Dictionary<string, int> { ["calendar.events.list"] = 1 }, await env.CallsAsync(s.Source.Email));
        Assert.Equal(new Dictionary<string, int> { ["calendar.events.list"] = 1 }, await env.CallsAsync(s.Target.Email));
        Assert.Equal(before.Select(e => e.Etag).Order(), (await Scenario.LiveEventsAsync(s.Target)).Select(e => e.Etag).Order());

        await env.ResetStatsAsync();
        var run = await ruled.RunAsync();

        Assert.Equal((0, 1, 2), (run.Created, run.Updated, run.Deleted));
        // Exactly the minimum: one list per side, then one update and two deletes.
        Assert.Equal(new Dictionary<string, int> { ["calendar.events.list"] = 1 }, await env.CallsAsync(s.Source.Email));
        Assert.Equal(new Dictionary<string, int> { ["calendar.events.list"] = 1, ["calendar.events.update"] = 1, ["calendar.events.delete"] = 2 }, await env.CallsAsync(s.Target.Email));
        Assert.Equal(2 + 3, run.ApiCalls);
        var copy = Assert.Single(await Scenario.LiveEventsAsync(s.Target));
        Assert.Equal(("Work: Client call", true), (copy.Summary, copy.Reminders?.UseDefault));
        var why = run.Changes.Where(c => c.Action == RunChange.Delete).ToDictionary(c => c.Summary!, c => c.Reason);
        Assert.Contains("rule copyToTarget.filter.include", why["Lunch"], StringComparison.Ordinal);
        Assert.Contains("rule copyToTarget.filter.freeEvents", why[later.Summary!], StringComparison.Ordinal);

        await env.ResetStatsAsync();
        var again = await ruled.RunAsync();
        Assert.Empty(again.Changes);
        Assert.Equal(2, again.ApiCalls);
    }

    [Fact]
    public async Task Two_way_an_edit_of_a_copy_that_makes_its_origin_fail_the_rules_removes_the_copy_in_the_same_run()
    {
        var s = await env.NewScenarioAsync(SyncDirection.TwoWay);
        var ruled = s with { Sync = s.Sync with { AToB = new CopyStyle { Filter = CopyFilter.Default with { Include = ["client"] } } } };
        var call = await Scenario.AddAsync(s.Source, Scenario.Timed("Client call", Today.AddDays(1).AddHours(9)));
        Assert.Equal(1, (await ruled.RunAsync()).Created);
        var copy = Assert.Single(await Scenario.LiveEventsAsync(s.Target));

        // The person renames the copy: two-way, the origin takes the name, and then no longer passes "client".
        await s.Target.Client.PatchEventAsync("primary", copy.Id!, new EventPatch { Changes = new GoogleEvent { Summary = "Lunch" } }, null, CancellationToken.None);
        var run = await ruled.RunAsync();

        Assert.Equal("Lunch", (await s.Source.Client.GetEventAsync("primary", call.Id!, CancellationToken.None))!.Summary);
        Assert.Empty(await Scenario.LiveEventsAsync(s.Target));
        var removed = Assert.Single(run.Changes, c => c.Action == RunChange.Delete);
        Assert.Contains("rule copyToTarget.filter.include", removed.Reason, StringComparison.Ordinal);
        var next = await ruled.RunAsync();
        Assert.Equal((0, 0, 0), (next.Created, next.Updated, next.Deleted));
        Assert.Empty((await ruled.RunAsync(new RunFlags(FullResync: true))).Changes);
    }

    [Fact]
    public async Task Copies_removed_by_a_rule_change_are_held_by_the_mass_deletion_guard()
    {
        var s = await env.NewScenarioAsync();
        for (var i = 0; i < 12; i++)
        {
            await Scenario.AddAsync(s.Source, Scenario.Timed($"Lunch {i}", Today.AddDays(1).AddHours(i)));
        }
        await s.RunAsync();
        var ruled = s with { Sync = s.Sync with { AToB = new CopyStyle { Filter = CopyFilter.Default with { Exclude = ["lunch"] } } } };

        var held = await ruled.RunAsync();

        Assert.True(held.NeedsConfirmation);
        Assert.Equal(12, (await Scenario.LiveEventsAsync(s.Target)).Count);
        var confirmed = await ruled.RunAsync(new RunFlags(ConfirmDeletes: true));
        Assert.Equal(12, confirmed.Deleted);
        Assert.Empty(await Scenario.LiveEventsAsync(s.Target));
    }
}
