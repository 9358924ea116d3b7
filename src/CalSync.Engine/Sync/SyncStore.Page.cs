using Dapper;

namespace CalSync.Engine.Sync;

/// <summary>One page of a person's live syncs, oldest first: page <see cref="Number"/> of <see cref="Count"/>.</summary>
public sealed record SyncPage(IReadOnlyList<SyncRecord> Syncs, int Number, int Count, long Total);

public sealed partial class SyncStore
{
    /// <summary>
    /// Page <paramref name="number"/> of the person's live syncs, <paramref name="size"/> a page, in creation order (ties by
    /// id, so every sync has one place). A number past the last page reads the last page (below 1, the first), and the
    /// result says which page it is; the count and the page come from one statement, so they agree.
    /// </summary>
    /// <remarks>
    /// Offset paging: people ask for "page 3 of 4", and a person's syncs are few enough that skipping rows costs
    /// nothing. New syncs go to the end, so they never move a sync to another page; a deletion moves later ones up one.
    /// </remarks>
    public async Task<SyncPage> ListPageAsync(Guid userId, int number, int size, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row, PagePlace, (Row Row, PagePlace Place)>(new CommandDefinition(
            $"""
            with shown as (
                select least(greatest(@number, 1), greatest(1, (total + @size - 1) / @size)) as number, total
                from (select count(*) as total from syncs where user_id = @userId {Live}) mine)
            select {Columns}, shown.number as Number, shown.total as Total
            from syncs cross join shown
            where user_id = @userId {Live}
            order by created_at, id
            limit @size offset (select (number - 1) * @size from shown)
            """,
            new { userId, number, size }, cancellationToken: cancellationToken),
            (row, place) => (row, place), splitOn: "Number")).ToList();
        // No rows only when the person has no syncs at all: a page past the end reads the last one.
        var place = rows.Count > 0 ? rows[0].Place : new PagePlace { Number = 1, Total = 0 };
        return new SyncPage([.. rows.Select(r => r.Row.ToRecord())], (int)place.Number, (int)Math.Max(1, (place.Total + size - 1) / size), place.Total);
    }

    private sealed class PagePlace
    {
        public long Number { get; init; }
        public long Total { get; init; }
    }
}
