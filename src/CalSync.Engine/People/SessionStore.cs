using Dapper;
using Npgsql;

namespace CalSync.Engine.People;

/// <summary>
/// Browser sessions, server side: the cookie holds a random secret, the table its hash. Logging out deletes
/// the row, so a copied cookie stops working at once, on every Api instance.
/// </summary>
public sealed class SessionStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(14);

    /// <summary>Creates a session and returns its secret (for the cookie) and expiry.</summary>
    public async Task<(string Secret, DateTimeOffset ExpiresAt)> CreateAsync(Guid userId, CancellationToken cancellationToken)
    {
        var secret = SecretTokens.New(SecretTokens.SessionPrefix);
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into sessions (token_hash, user_id, created_at, expires_at) values (@hash, @userId, @now, @expires);
            delete from sessions where user_id = @userId and expires_at < @now;
            """,
            new { hash = SecretTokens.Hash(secret), userId, now, expires = now + Lifetime }, cancellationToken: cancellationToken));
        return (secret, now + Lifetime);
    }

    public async Task<Guid?> FindUserAsync(string secret, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "select user_id from sessions where token_hash = @hash and expires_at > @now",
            new { hash = SecretTokens.Hash(secret), now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    public async Task DeleteAsync(string secret, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from sessions where token_hash = @hash", new { hash = SecretTokens.Hash(secret) }, cancellationToken: cancellationToken));
    }
}
