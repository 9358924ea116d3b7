using Dapper;

namespace CalSync.Engine.Sync;

/// <summary>One pair's link, found by either side's event id: what a replan after a race reads instead of every link.</summary>
public sealed partial class SyncStateStore
{
    /// <summary>The link of the pair holding <paramref name="eventId"/> on <paramref name="side"/>, or null; one indexed row.</summary>
    public async Task<EventLink?> GetLinkAsync(Guid syncId, Side side, string eventId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Both ids are unique per sync (primary key on a_event_id, unique on b_event_id).
        var row = await connection.QuerySingleOrDefaultAsync<LinkRow>(new CommandDefinition(
            side == Side.A
                ? $"select {LinkColumns} from event_links where sync_id = @syncId and a_event_id = @eventId"
                : $"select {LinkColumns} from event_links where sync_id = @syncId and b_event_id = @eventId",
            new { syncId, eventId }, cancellationToken: cancellationToken));
        return row?.ToLink();
    }
}
