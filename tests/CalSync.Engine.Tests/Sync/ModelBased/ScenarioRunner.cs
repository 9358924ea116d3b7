using System.Text.Json;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;

namespace CalSync.Engine.Tests.Sync.ModelBased;

/// <summary>
/// Plays one generated scenario against the emulator and checks the engine's promises after every
/// successful sync: every origin in the window (or copied before and not cut off by a smaller window) has
/// exactly one copy that looks as <see cref="CopyModel"/> says for the sync's current settings, no event has
/// two copies, nothing CalSync does not own changed (except an origin whose copy the person edited or
/// deleted, two-way, when they may change it), planted markers steer nothing, and a second sync writes nothing.
/// </summary>
internal sealed class ScenarioRunner(Scenario scenario)
{
    private Scenario s = scenario;

    // Events that carry a copy's marker but were made by someone else, per side.
    private readonly Dictionary<Side, HashSet<string>> _impostors = new() { [Side.A] = [], [Side.B] = [] };

    // Origins that had a copy at the last check, and whether the window shrank since.
    private HashSet<(Side, string)> _copied = [];
    private bool _narrowed;

    private static readonly DateTimeOffset Today = new(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);

    // What the person last wrote to each of their own events (not copies), per side.
    private readonly Dictionary<Side, Dictionary<string, GoogleEvent?>> _expected = new() { [Side.A] = [], [Side.B] = [] };

    // Origins CalSync may legitimately change in this round (two-way: their copy was edited or deleted).
    private readonly HashSet<(Side, string)> _mayChange = [];
    private int _counter;

    // Someone else who invites the sync's people to meetings: their invitations are origins the people may not change.
    private Tests.Google.Integration.ConnectedAccount? _organizer;
    private readonly HashSet<string> _invitations = [];

    private SyncDefinition Sync => s.Sync;

    private GoogleCalendarClient Client(Side side) => Account(side).Client;

    private Tests.Google.Integration.ConnectedAccount Account(Side side) => side == Side.A ? s.Source : s.Target;

    public async Task PlayAsync(IReadOnlyList<ScenarioStep> steps)
    {
        foreach (var step in steps)
        {
            await ApplyAsync(step);
        }
    }

    private async Task ApplyAsync(ScenarioStep step)
    {
        switch (step)
        {
            case CreateEvent c:
                var created = await Scenario.AddAsync(Account(c.Side), NewEvent(c));
                _expected[c.Side][created.Id!] = created;
                break;
            case Invite i:
                _organizer ??= await s.Env.ConnectNewAccountAsync("organizer");
                var invitation = await Scenario.AddAsync(_organizer, Scenario.Timed($"invitation {++_counter}", Today.AddDays(i.Day + 1).AddHours(i.Hour)) with
                {
                    Attendees = [new EventAttendee { Email = Account(i.Side).Email }],
                });
                _invitations.Add(invitation.Id!);
                _expected[i.Side][invitation.Id!] = await Client(i.Side).GetEventAsync("primary", invitation.Id!, CancellationToken.None);
                break;
            case EditEvent e when Pick(_expected[e.Side].Where(kv => kv.Value is not null).Select(kv => kv.Key), e.Pick) is { } id:
                var before = _expected[e.Side][id]!;
                var moved = before.Start?.DateTime is { } start
                    ? new GoogleEvent { Summary = $"edit {++_counter}", Start = EventDateTime.At(start.AddDays(e.DayShift), "Europe/Berlin"), End = EventDateTime.At(start.AddDays(e.DayShift).AddHours(1), "Europe/Berlin") }
                    : new GoogleEvent { Summary = $"edit {++_counter}" };
                // An invitation changes when its organizer changes it; the person's calendar follows.
                var editor = _invitations.Contains(id) ? _organizer!.Client : Client(e.Side);
                await editor.PatchEventAsync("primary", id, new EventPatch { Changes = moved }, null, CancellationToken.None);
                _expected[e.Side][id] = await Client(e.Side).GetEventAsync("primary", id, CancellationToken.None);
                break;
            case DeleteEvent d when Pick(_expected[d.Side].Where(kv => kv.Value is not null).Select(kv => kv.Key), d.Pick) is { } id:
                await (_invitations.Contains(id) ? _organizer!.Client : Client(d.Side)).DeleteEventAsync("primary", id, null, CancellationToken.None);
                _expected[d.Side][id] = null;
                break;
            case EditCopy e when await PickCopyAsync(e.Side, e.Pick) is { } copy:
                await Client(e.Side).PatchEventAsync("primary", copy.Id!, new EventPatch { Changes = new GoogleEvent { Summary = $"copy edit {++_counter}" } }, null, CancellationToken.None);
                AllowOriginChange(e.Side, copy);
                break;
            case DeleteCopy d when await PickCopyAsync(d.Side, d.Pick) is { } copy:
                await Client(d.Side).DeleteEventAsync("primary", copy.Id!, null, CancellationToken.None);
                AllowOriginChange(d.Side, copy);
                break;
            case ChangeInstance i when Pick((await LiveAsync(Side.A)).Where(e => e.RecurringEventId is not null && !(CopyMarker.Read(e) is not null)).Select(e => e.Id!), i.Pick) is { } instance:
                if (i.Cancel)
                {
                    await s.Source.Client.DeleteEventAsync("primary", instance, null, CancellationToken.None);
                }
                else
                {
                    await s.Source.Client.PatchEventAsync("primary", instance, new EventPatch { Changes = new GoogleEvent { Summary = $"moved instance {++_counter}" } }, null, CancellationToken.None);
                }
                break;
            case RunSync r:
                await SyncAndCheckAsync(r.Fault);
                break;
            case ChangeStyle c:
                var style = Sync.StyleForCopiesOf(c.OriginSide) with { Privacy = c.Privacy, ColorId = c.ColorId };
                s = s with { Sync = c.OriginSide == Side.A ? Sync with { AToB = style } : Sync with { BToA = style } };
                break;
            case ChangeRules r:
                var ruled = Sync.StyleForCopiesOf(r.OriginSide) with { Filter = r.Filter, Look = r.Look };
                s = s with { Sync = r.OriginSide == Side.A ? Sync with { AToB = ruled } : Sync with { BToA = ruled } };
                break;
            case EditSettings e when Pick(_expected[e.Side].Where(kv => kv.Value?.EventType == EventTypes.OutOfOffice).Select(kv => kv.Key), e.Pick) is { } id:
                var settings = new { autoDeclineMode = e.Declines ? "declineAllConflictingInvitations" : "declineNone", declineMessage = $"away {++_counter}" };
                await Client(e.Side).PatchEventAsync("primary", id,
                    new EventPatch { Changes = new GoogleEvent { OutOfOfficeProperties = JsonSerializer.SerializeToElement(settings) } }, null, CancellationToken.None);
                _expected[e.Side][id] = await Client(e.Side).GetEventAsync("primary", id, CancellationToken.None);
                break;
            case ChangeOutOfOffice o:
                var current = Sync.StyleForCopiesOf(o.OriginSide);
                var retyped = current with { Filter = current.Filter with { OutOfOffice = o.Rule } };
                s = s with { Sync = o.OriginSide == Side.A ? Sync with { AToB = retyped } : Sync with { BToA = retyped } };
                break;
            case Answer a when Pick(_invitations.Where(id => _expected[a.Side].GetValueOrDefault(id) is not null), a.Pick) is { } id:
                var invited = (await Client(a.Side).GetEventAsync("primary", id, CancellationToken.None))!;
                var answered = invited.Attendees!.Select(g => g.Self == true ? g with { ResponseStatus = a.Response } : g).ToList();
                await Client(a.Side).PatchEventAsync("primary", id, new EventPatch { Changes = new GoogleEvent { Attendees = answered } }, null, CancellationToken.None);
                _expected[a.Side][id] = await Client(a.Side).GetEventAsync("primary", id, CancellationToken.None);
                break;
            case ChangeWindow w:
                _narrowed |= w.FutureDays < Sync.FutureDays;
                s = s with { Sync = Sync with { FutureDays = w.FutureDays } };
                break;
            case PlantImpostor p when await PickCopyAsync(p.Side, p.Pick) is { } copy:
                var planted = await Scenario.AddAsync(Account(p.Side), Scenario.Timed($"impostor {++_counter}", Today.AddDays(5).AddHours(8)) with
                {
                    ExtendedProperties = copy.ExtendedProperties,
                });
                _impostors[p.Side].Add(planted.Id!);
                _expected[p.Side][planted.Id!] = planted;
                break;
        }
    }

    private async Task SyncAndCheckAsync(Fault fault)
    {
        if (fault == Fault.ExpireToken)
        {
            await s.Env.ExpireSyncTokensAsync(s.Source.Email);
        }
        var faultyA = new FaultySide(s.A, s.Source.Client, fault);
        var faultyB = new FaultySide(s.B, s.Target.Client, fault);
        SyncOutcome? outcome = null;
        try
        {
            outcome = await s.RunAsync(a: faultyA, b: faultyB);
        }
        catch (Exception ex) when (ex is SimulatedCrashException || (ex is GoogleApiException { IsRetryable: true } && fault == Fault.RateLimited))
        {
            // The run failed as the fault intended; the next run must converge.
        }
        foreach (var (side, faulty) in new[] { (Side.A, faultyA), (Side.B, faultyB) })
        {
            foreach (var raced in faulty.Raced)
            {
                await AllowRacedAsync(side, raced);
            }
        }

        if (fault != Fault.None)
        {
            outcome = await s.RunAsync(); // The recovery run.
        }
        if (outcome is { NeedsConfirmation: true })
        {
            await s.RunAsync(new RunFlags(ConfirmDeletes: true)); // The person confirms what the guard listed.
        }
        await CheckAgreementAsync();
        var again = await s.RunAsync();
        Assert.True(again.Created + again.Updated + again.Deleted == 0, $"a second sync wrote: {string.Join("; ", again.Changes)}");
        await AcceptAllowedChangesAsync();
    }

    private async Task CheckAgreementAsync()
    {
        var copied = new HashSet<(Side, string)>();
        foreach (var side in (Side[])[Side.A, Side.B])
        {
            // Origins carry no marker (impostors do, so they are never origins).
            var mine = (await LiveAsync(side)).Where(e => CopyMarker.Read(e) is null).ToList();
            var copies = (await LiveAsync(side.Other()))
                .Where(e => CopyMarker.Read(e)?.SyncId == Sync.Id && !_impostors[side.Other()].Contains(e.Id!)).ToList();
            var copiesByOrigin = copies.GroupBy(c => CopyMarker.Read(c)!.OriginEventId).ToDictionary(g => g.Key, g => g.ToList());
            if (!Sync.IsOriginSide(side))
            {
                Assert.Empty(copies);
                mine.Clear(); // One-way: B's own events are never copied.
            }
            foreach (var origin in mine)
            {
                var found = copiesByOrigin.GetValueOrDefault(origin.Id!) ?? [];
                var expected = CopyModel.Passes(origin, Sync.StyleForCopiesOf(side).Filter)
                    && (CopyModel.InWindow(origin, Today, Sync.FutureDays) || (_copied.Contains((side, origin.Id!)) && !_narrowed));
                if (!expected)
                {
                    Assert.True(found.Count == 0, $"{origin.Id} ({origin.Summary}) is outside the window or fails the rules but has a copy");
                    continue;
                }
                var copy = Assert.Single(found);
                CopyModel.AssertCopy(origin, copy, Sync.StyleForCopiesOf(side));
                copied.Add((side, origin.Id!));
            }
            var origins = mine.Select(o => o.Id).ToHashSet();
            Assert.All(copiesByOrigin.Keys, origin => Assert.Contains(origin, origins));

            // Nothing CalSync does not own changed, unless the person's edit of its copy says it should.
            foreach (var (id, expected) in _expected[side].Where(kv => !_mayChange.Contains((side, kv.Key))))
            {
                var actual = await Client(side).GetEventAsync("primary", id, CancellationToken.None);
                if (expected is null)
                {
                    Assert.True(actual is null || actual.IsCancelled, $"{id} was deleted by the person but is back");
                }
                else
                {
                    Assert.Equal(EventContent.Of(expected), EventContent.Of(actual!));
                }
            }
        }
        _copied = copied;
        _narrowed = false;
    }

    private async Task AcceptAllowedChangesAsync()
    {
        foreach (var (side, id) in _mayChange)
        {
            if (_expected[side].ContainsKey(id))
            {
                var actual = await Client(side).GetEventAsync("primary", id, CancellationToken.None);
                _expected[side][id] = actual is { IsCancelled: false } ? actual : null;
            }
        }
        _mayChange.Clear();
    }

    /// <summary>Two-way, an edit or deletion of a copy on <paramref name="copySide"/> may change its origin.</summary>
    private void AllowOriginChange(Side copySide, GoogleEvent copy)
    {
        // Out-of-office origins and invitations are read-only: their copies' edits are reverted, never carried back.
        if (Sync.Direction == SyncDirection.TwoWay && CopyMarker.Read(copy) is { } marker
            && _expected[copySide.Other()].GetValueOrDefault(marker.OriginEventId)?.EventType != EventTypes.OutOfOffice
            && !_invitations.Contains(marker.OriginEventId))
        {
            _mayChange.Add((copySide.Other(), marker.OriginEventId));
        }
    }

    private async Task AllowRacedAsync(Side side, string eventId)
    {
        var raced = await Client(side).GetEventAsync("primary", eventId, CancellationToken.None);
        if (raced is not null && CopyMarker.Read(raced) is not null)
        {
            AllowOriginChange(side, raced);
        }
        else
        {
            _mayChange.Add((side, eventId)); // The race edited a person's event: that edit is theirs.
        }
    }

    private async Task<GoogleEvent?> PickCopyAsync(Side side, int pick)
    {
        var copies = (await LiveAsync(side)).Where(e => CopyMarker.Read(e)?.SyncId == Sync.Id && !_impostors[side].Contains(e.Id!)).ToList();
        return copies.Count == 0 ? null : copies[pick % copies.Count];
    }

    private async Task<IReadOnlyList<GoogleEvent>> LiveAsync(Side side) => await Scenario.LiveEventsAsync(side == Side.A ? s.Source : s.Target);

    private static string? Pick(IEnumerable<string> ids, int pick)
    {
        var list = ids.Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? null : list[pick % list.Count];
    }

    private GoogleEvent NewEvent(CreateEvent c)
    {
        var start = Today.AddDays(c.Day + 1).AddHours(c.Hour);
        var summary = $"{c.Kind} {++_counter}{c.Text}";
        return c.Kind switch
        {
            EventKind.OutOfOffice => Scenario.Timed(summary, start) with
            {
                EventType = EventTypes.OutOfOffice,
                OutOfOfficeProperties = JsonDocument.Parse("""{"autoDeclineMode":"declineNone"}""").RootElement,
            },
            EventKind.AllDay => new GoogleEvent
            {
                Summary = summary,
                // Every other all-day event is marked free, as Google's own all-day events often are.
                Transparency = _counter % 2 == 0 ? "transparent" : null,
                Start = EventDateTime.AllDay(DateOnly.FromDateTime(start.UtcDateTime)),
                End = EventDateTime.AllDay(DateOnly.FromDateTime(start.UtcDateTime).AddDays(1)),
            },
            EventKind.Recurring => Scenario.Timed(summary, start) with { Recurrence = ["RRULE:FREQ=WEEKLY;COUNT=3"] },
            _ => Scenario.Timed(summary, start) with { Description = c.Text.Length == 0 ? null : "about" + c.Text },
        };
    }
}
