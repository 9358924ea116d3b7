using System.Net;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;
using CalSync.Engine.Sync;

namespace CalSync.Engine.Tests.Sync.Removal;

/// <summary><see cref="CopyRemover"/> when Google misbehaves: a batch cut short by rate limits, a filter Google ignores.</summary>
public sealed class CopyRemoverFaultTests(SyncEnvironment env) : IClassFixture<SyncEnvironment>
{
    private static readonly DateTimeOffset Tomorrow = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(9);
    private readonly RemovalHarness _h = new(env);

    [Fact]
    public async Task A_batch_cut_short_by_rate_limits_keeps_what_went_through_and_the_retry_removes_the_rest()
    {
        var s = await env.NewScenarioAsync();
        for (var i = 0; i < 60; i++)
        {
            await Scenario.AddAsync(s.Source, RemovalHarness.Timed($"E{i}", Tomorrow.AddHours(i)));
        }
        await s.RunAsync();
        var removal = (await _h.DeleteAsync(s, removeCopies: true)).RemovalRun!;
        var sync = s.Sync;

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => _h.Remover.RemoveAsync(removal.Id, sync, s.A, new RateLimitedAfter(s.B, 20), CancellationToken.None));

        Assert.True(error.IsRetryable);
        Assert.Equal(40, (await RemovalHarness.CopiesOfAsync(s.Target, sync.Id)).Count);
        Assert.Equal(40, await _h.LinkCountAsync(sync.Id));
        Assert.Equal(20, (await _h.ChangesAsync(removal.Id)).Count);

        var retry = await _h.Remover.RemoveAsync(removal.Id, sync, s.A, s.B, CancellationToken.None);

        Assert.Equal(40, retry.Deleted); // This attempt's: the run row adds the first attempt's 20 (RunTotalsTests).
        Assert.Empty(await RemovalHarness.CopiesOfAsync(s.Target, sync.Id));
        Assert.Equal(0, await _h.LinkCountAsync(sync.Id));
        var deletions = (await _h.ChangesAsync(removal.Id)).Select(c => c.CopyEventId).ToList();
        Assert.Equal(60, deletions.Distinct().Count());
        Assert.Equal(60, deletions.Count);
    }

    [Fact]
    public async Task Even_if_Google_ignored_the_marker_filter_only_this_syncs_copies_are_deleted()
    {
        var s = await env.NewScenarioAsync();
        await Scenario.AddAsync(s.Source, RemovalHarness.Timed("Origin", Tomorrow));
        var native = await Scenario.AddAsync(s.Target, RemovalHarness.Timed("Native", Tomorrow.AddHours(1)));
        var sibling = await _h.AddSiblingSyncAsync(s);
        await s.RunAsync();
        await (s with { Sync = sibling }).RunAsync();
        var copy = Assert.Single(await RemovalHarness.CopiesOfAsync(s.Target, s.Sync.Id));
        var siblingCopy = Assert.Single(await RemovalHarness.CopiesOfAsync(s.Target, sibling.Id));
        var removal = (await _h.DeleteAsync(s, removeCopies: true)).RemovalRun!;
        var before = await RemovalHarness.SnapshotAsync(s.Target);

        var outcome = await _h.Remover.RemoveAsync(removal.Id, s.Sync, s.A, new IgnoresPropertyFilter(s.B), CancellationToken.None);

        Assert.Equal((1, 2), (outcome.Deleted, outcome.Skipped));
        var after = await RemovalHarness.SnapshotAsync(s.Target);
        Assert.Equal(EventStatus.Cancelled, after[copy].Status);
        Assert.Equal(before[native.Id!], after[native.Id!]);
        Assert.Equal(before[siblingCopy], after[siblingCopy]);
    }

    /// <summary>Google as it answers a burst: the first <paramref name="allowed"/> deletes of the first batch go through, the rest get 429.</summary>
    private sealed class RateLimitedAfter(ICalendarSide inner, int allowed) : DelegatingSide(inner)
    {
        private bool _fired;

        public override async Task<IReadOnlyList<BatchResult>> ExecuteAsync(IReadOnlyList<CalendarOperation> operations, CancellationToken cancellationToken)
        {
            if (_fired)
            {
                return await Inner.ExecuteAsync(operations, cancellationToken);
            }
            _fired = true;
            var through = await Inner.ExecuteAsync([.. operations.Take(allowed)], cancellationToken);
            return [.. through, .. operations.Skip(allowed).Select(o => new BatchResult(o, HttpStatusCode.TooManyRequests, null,
                new GoogleApiException(o.MethodId, HttpStatusCode.TooManyRequests, GoogleErrorReasons.RateLimitExceeded, "Rate Limit Exceeded")))];
        }
    }

    /// <summary>A Google that lists every event, whatever <c>privateExtendedProperty</c> asks for.</summary>
    private sealed class IgnoresPropertyFilter(ICalendarSide inner) : DelegatingSide(inner)
    {
        public override Task<EventListResult> ListAsync(EventListQuery query, CancellationToken cancellationToken) =>
            Inner.ListAsync(query with { PrivateProperties = null }, cancellationToken);

    }
}
