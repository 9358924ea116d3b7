using System.Net;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Accounting;
using CalSync.Engine.Google.Models;
using static CalSync.Engine.Tests.Google.Integration.CalendarClientIntegrationTests;

namespace CalSync.Engine.Tests.Google.Integration;

/// <summary>Full and incremental listings (paging, sync tokens, 410) and batches against the emulator.</summary>
public sealed class ListingAndBatchIntegrationTests(GoogleEnvironment env) : IClassFixture<GoogleEnvironment>
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task FullListing_MoreThanOnePage_FollowsPagesThenIncrementalSeesOnlyChanges()
    {
        var account = await env.ConnectNewAccountAsync();
        var calendarId = account.Email;
        var operations = Enumerable.Range(0, 2_550)
            .Select(i => CalendarOperation.InsertEvent(calendarId, NewEvent(NewId(), Start.AddMinutes(30 * i), $"e{i}")))
            .ToList();
        var inserted = await account.Client.ExecuteBatchAsync(operations, CancellationToken.None);
        Assert.All(inserted, r => Assert.True(r.Succeeded, r.Error?.Message));
        var accounting = env.Get<ApiCallAccounting>();
        using var scope = accounting.BeginScope();

        var full = Assert.IsType<EventListing>(await account.Client.ListEventsAsync(calendarId,
            EventListQuery.Window(Start.AddDays(-1), Start.AddDays(90)), CancellationToken.None));

        Assert.Equal(2_550, full.Events.Count);
        Assert.Equal(2, full.Pages);
        Assert.Equal(2, scope.Calls);
        Assert.NotNull(full.NextSyncToken);

        var changed = inserted[7].Event!;
        await account.Client.PatchEventAsync(calendarId, changed.Id!, new EventPatch { Changes = new GoogleEvent { Summary = "changed" } }, changed.Etag, CancellationToken.None);
        await account.Client.DeleteEventAsync(calendarId, inserted[8].Event!.Id!, null, CancellationToken.None);

        var changes = Assert.IsType<EventListing>(await account.Client.ListEventsAsync(calendarId, EventListQuery.Changes(full.NextSyncToken!), CancellationToken.None));

        Assert.Equal(2, changes.Events.Count);
        Assert.Equal("changed", changes.Events.Single(e => e.Id == changed.Id).Summary);
        Assert.True(changes.Events.Single(e => e.Id == inserted[8].Event!.Id).IsCancelled);
        Assert.NotEqual(full.NextSyncToken, changes.NextSyncToken);

        var nothing = Assert.IsType<EventListing>(await account.Client.ListEventsAsync(calendarId, EventListQuery.Changes(changes.NextSyncToken!), CancellationToken.None));
        Assert.Empty(nothing.Events);
    }

    [Fact]
    public async Task IncrementalListing_ExpiredToken_ReturnsSyncTokenExpired()
    {
        var account = await env.ConnectNewAccountAsync();
        await account.Client.InsertEventAsync("primary", NewEvent(NewId(), Start), CancellationToken.None);
        var full = Assert.IsType<EventListing>(await account.Client.ListEventsAsync("primary",
            EventListQuery.Window(Start.AddDays(-1), Start.AddDays(1)), CancellationToken.None));
        using (var expired = await env.Admin.PostAsync($"emulator/calendars/{Uri.EscapeDataString(account.Email)}/expire-sync-tokens", null))
        {
            expired.EnsureSuccessStatusCode();
        }

        var result = await account.Client.ListEventsAsync("primary", EventListQuery.Changes(full.NextSyncToken!), CancellationToken.None);

        Assert.IsType<SyncTokenExpired>(result);
    }

    [Fact]
    public async Task Batch_MixedSuccessAndFailureParts_MapsEachResultToItsOperation()
    {
        var account = await env.ConnectNewAccountAsync();
        var existing = await account.Client.InsertEventAsync("primary", NewEvent(NewId(), Start), CancellationToken.None);
        var stale = existing.Etag;
        existing = await account.Client.PatchEventAsync("primary", existing.Id!, new EventPatch { Changes = new GoogleEvent { Summary = "v2" } }, null, CancellationToken.None);
        var newId = NewId();
        var accounting = env.Get<ApiCallAccounting>();
        using var scope = accounting.BeginScope();

        var results = await account.Client.ExecuteBatchAsync(
        [
            CalendarOperation.InsertEvent("primary", NewEvent(newId, Start.AddHours(2), "new")),
            CalendarOperation.InsertEvent("primary", NewEvent(existing.Id!, Start, "duplicate")),
            CalendarOperation.UpdateEvent("primary", existing.Id!, existing with { Summary = "stale" }, stale),
            CalendarOperation.PatchEvent("primary", existing.Id!, new EventPatch { Changes = new GoogleEvent { Summary = "v3" } }, existing.Etag),
            CalendarOperation.GetEvent("primary", newId),
            CalendarOperation.DeleteEvent("primary", NewId(), null),
        ], CancellationToken.None);

        Assert.Equal(newId, results[0].Event!.Id);
        Assert.Equal(HttpStatusCode.Conflict, results[1].Status);
        Assert.True(results[1].Error!.IsConflict);
        Assert.True(results[2].Error!.IsPreconditionFailed);
        Assert.Equal("v3", results[3].Event!.Summary);
        Assert.Equal("new", results[4].Event!.Summary);
        Assert.Equal(HttpStatusCode.NotFound, results[5].Status);
        Assert.Equal(6, scope.Calls);
        Assert.Equal(1, scope.HttpRequests);
    }
}
