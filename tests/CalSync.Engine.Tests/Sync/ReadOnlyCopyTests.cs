using System.Net;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;

namespace CalSync.Engine.Tests.Sync;

/// <summary>Two-way, against the emulator: copies of origins the person may not change stay as their origins say.</summary>
public sealed class ReadOnlyCopyTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>, IAsyncLifetime
{
    private static readonly DateTimeOffset Tomorrow = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(9);

    public Task InitializeAsync() => env.ResetFaultsAsync();

    public Task DisposeAsync() => env.ResetFaultsAsync();

    [Fact]
    public async Task An_invitation_they_do_not_organise_is_never_changed_through_its_copy()
    {
        var s = await env.NewScenarioAsync(SyncDirection.TwoWay);
        var organizer = await env.ConnectNewAccountAsync("organizer");
        // The organizer invites the sync's source account: Google puts the invitation on the guest's calendar.
        var invitation = await Scenario.AddAsync(organizer, Scenario.Timed("Quarterly review", Tomorrow) with
        {
            Attendees = [new EventAttendee { Email = s.Source.Email }],
        });
        await s.RunAsync();
        var originBefore = await s.Source.Client.GetEventAsync("primary", invitation.Id!, CancellationToken.None);
        Assert.False(originBefore!.Organizer!.Self ?? false);
        var copy = Assert.Single(await Scenario.LiveEventsAsync(s.Target));

        await s.Target.Client.PatchEventAsync("primary", copy.Id!, new EventPatch { Changes = new GoogleEvent { Summary = "Skipping this" } }, null, CancellationToken.None);
        var edited = await s.RunAsync();
        await s.Target.Client.DeleteEventAsync("primary", copy.Id!, null, CancellationToken.None);
        var deleted = await s.RunAsync();

        Assert.Contains(edited.Changes, c => c.Action == RunChange.Update && c.Reason.Contains("invitation organised by", StringComparison.Ordinal));
        Assert.Contains(deleted.Changes, c => c.Reason.Contains("restored", StringComparison.Ordinal));
        var origin = await s.Source.Client.GetEventAsync("primary", invitation.Id!, CancellationToken.None);
        Assert.Equal((originBefore.Etag, "Quarterly review", EventStatus.Confirmed), (origin!.Etag, origin.Summary, origin.Status));
        Assert.Equal("Quarterly review", Assert.Single(await Scenario.LiveEventsAsync(s.Target)).Summary);
        Assert.Equal(0, (await s.RunAsync()).Updated); // In step: nothing repeats.
    }

    [Fact]
    public async Task An_origin_change_google_refuses_reverts_the_copy_instead_of_repeating_every_run()
    {
        var s = await env.NewScenarioAsync(SyncDirection.TwoWay);
        await Scenario.AddAsync(s.Source, Scenario.Timed("Planning", Tomorrow));
        await s.RunAsync();
        var copy = Assert.Single(await Scenario.LiveEventsAsync(s.Target));
        await s.Target.Client.PatchEventAsync("primary", copy.Id!, new EventPatch { Changes = new GoogleEvent { Summary = "Renamed" } }, null, CancellationToken.None);

        var refused = await s.RunAsync(a: new RefusingOriginWrites(s.A));

        Assert.Contains(refused.Changes, c => c.Action == RunChange.Update && c.Reason.Contains("forbiddenForNonOrganizer", StringComparison.Ordinal));
        Assert.Equal("Planning", Assert.Single(await Scenario.LiveEventsAsync(s.Target)).Summary);
        var next = await s.RunAsync(a: new RefusingOriginWrites(s.A));
        Assert.Equal((0, 0), (next.Updated, next.Skipped));
    }

    /// <summary>A side on which Google refuses every patch and delete as it does for a guest of someone else's event.</summary>
    private sealed class RefusingOriginWrites(ICalendarSide inner) : DelegatingSide(inner)
    {
        public override async Task<IReadOnlyList<BatchResult>> ExecuteAsync(IReadOnlyList<CalendarOperation> operations, CancellationToken cancellationToken)
        {
            var passed = await Inner.ExecuteAsync([.. operations.Where(o => !Refused(o))], cancellationToken);
            var results = new List<BatchResult>();
            var next = 0;
            foreach (var operation in operations)
            {
                results.Add(Refused(operation)
                    ? new BatchResult(operation, HttpStatusCode.Forbidden, null, new GoogleApiException(
                        operation.MethodId, HttpStatusCode.Forbidden, GoogleErrorReasons.ForbiddenForNonOrganizer, "Shared properties can only be changed by the organizer of the event.", null))
                    : passed[next++]);
            }
            return results;
        }

        private static bool Refused(CalendarOperation operation) => operation.MethodId is "calendar.events.patch" or "calendar.events.delete";
    }
}
