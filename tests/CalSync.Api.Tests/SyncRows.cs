using Dapper;

namespace CalSync.Api.Tests;

/// <summary>Syncs written straight into the database, many at once, for the tests of the lists that page them.</summary>
public static class SyncRows
{
    /// <summary>
    /// <paramref name="count"/> live syncs of <paramref name="owner"/> (two made in each minute from New Year 2026), a deleted
    /// one among them, and one of <paramref name="stranger"/> when given, inserted in random order. Returns the live
    /// ones' ids in the order the lists promise: oldest first, ties by id.
    /// </summary>
    public static async Task<string[]> InsertSyncsAsync(this ApiFixture fixture, (Guid UserId, Guid AccountId) owner, int count, (Guid UserId, Guid AccountId)? stranger = null)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var start = new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);
        var live = Enumerable.Range(0, count).Select(i => (Id: Guid.NewGuid(), CreatedAt: start.AddMinutes(i / 2))).ToList();
        var rows = live.Select(s => new { s.Id, owner.UserId, owner.AccountId, s.CreatedAt, DeletedAt = (DateTimeOffset?)null })
            .Append(new { Id = Guid.NewGuid(), owner.UserId, owner.AccountId, CreatedAt = start.AddMinutes(1), DeletedAt = (DateTimeOffset?)start.AddDays(1) });
        if (stranger is { } other)
        {
            rows = rows.Append(new { Id = Guid.NewGuid(), other.UserId, other.AccountId, CreatedAt = start.AddMinutes(1), DeletedAt = (DateTimeOffset?)null });
        }
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            insert into syncs (id, user_id, name, a_account_id, a_calendar_id, b_account_id, b_calendar_id, direction, created_at, updated_at, deleted_at)
            values (@Id, @UserId, 'Sync ' || @Id::text, @AccountId, 'primary', @AccountId, 'other', 'one-way', @CreatedAt, @CreatedAt, @DeletedAt)
            """,
            rows.OrderBy(_ => Random.Shared.Next()));
        // PostgreSQL orders uuids by their bytes as written, which is the ordinal order of their text.
        return [.. live.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id.ToString(), StringComparer.Ordinal).Select(s => s.Id.ToString())];
    }
}
