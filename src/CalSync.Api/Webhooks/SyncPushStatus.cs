using CalSync.Api.Syncs;
using CalSync.Engine.Push;

namespace CalSync.Api.Webhooks;

/// <summary>Whether push is on for each calendar a sync reads.</summary>
/// <param name="Calendar"><c>source</c> or <c>target</c> (a one-way sync reads only its source).</param>
/// <param name="Active">A channel is live: changes there start a run within moments.</param>
/// <param name="ExpiresAt">When the live channel expires; it is renewed before then.</param>
/// <param name="Problem">Why Google refused to watch the calendar; until it accepts, the sync runs on its schedule.</param>
public sealed record PushCalendarStatus(
    [property: WireValues("source", "target")] string Calendar,
    bool Active,
    DateTimeOffset? ExpiresAt,
    string? Problem);

/// <summary>Adds <see cref="SyncReply.Push"/> to replies, with one query for all of them.</summary>
public sealed class SyncPushStatus(WatchChannelStore channels)
{
    public async Task<SyncReply> AddToAsync(SyncReply reply, CancellationToken cancellationToken) =>
        (await AddToAsync([reply], cancellationToken))[0];

    public async Task<SyncReply[]> AddToAsync(IReadOnlyList<SyncReply> replies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replies);
        var calendars = replies.SelectMany(Read).Select(c => c.Calendar).Distinct().ToList();
        var status = calendars.Count == 0
            ? []
            : (await channels.StatusAsync(calendars, cancellationToken)).ToDictionary(s => s.Calendar);
        return [.. replies.Select(reply => reply with
        {
            Push = [.. Read(reply).Select(c => status.GetValueOrDefault(c.Calendar) is { } s
                ? new PushCalendarStatus(c.Side, s.ExpiresAt is not null, s.ExpiresAt, s.ExpiresAt is null ? s.Problem : null)
                : new PushCalendarStatus(c.Side, false, null, null))],
        })];
    }

    private static IEnumerable<(string Side, WatchedCalendar Calendar)> Read(SyncReply reply)
    {
        yield return ("source", new WatchedCalendar(reply.Source.AccountId, reply.Source.CalendarId));
        if (reply.Direction == SyncRules.TwoWay)
        {
            yield return ("target", new WatchedCalendar(reply.Target.AccountId, reply.Target.CalendarId));
        }
    }
}
