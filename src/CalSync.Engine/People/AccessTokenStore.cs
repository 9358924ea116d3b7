using Dapper;
using Npgsql;

namespace CalSync.Engine.People;

/// <summary>A personal access token as listed: never its secret, which is shown once, at creation.</summary>
public sealed record AccessToken
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }

    /// <summary>The secret's first characters, to tell tokens apart.</summary>
    public required string Prefix { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>When the token stops working; null: never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>Whom a bearer secret authenticates, and until when.</summary>
public sealed record TokenOwner(Guid UserId, DateTimeOffset? ExpiresAt);

/// <summary><c>personal_access_tokens</c>: stored as SHA-256 hashes; revoking deletes the row.</summary>
public sealed class AccessTokenStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Columns = "id as Id, name as Name, prefix as Prefix, created_at as CreatedAt, last_used_at as LastUsedAt, expires_at as ExpiresAt";

    // Recording every use would write a row per request; once a minute says enough about "last used".
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<(AccessToken Token, string Secret)> CreateAsync(Guid userId, string name, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var secret = SecretTokens.New(SecretTokens.AccessTokenPrefix);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var token = await connection.QuerySingleAsync<AccessToken>(new CommandDefinition(
            $"""
            insert into personal_access_tokens (id, user_id, name, token_hash, prefix, created_at, expires_at)
            values (@id, @userId, @name, @hash, @prefix, @now, @expiresAt)
            returning {Columns}
            """,
            new { id = Guid.CreateVersion7(time.GetUtcNow()), userId, name, hash = SecretTokens.Hash(secret), prefix = secret[..12], now = time.GetUtcNow(), expiresAt },
            cancellationToken: cancellationToken));
        return (token, secret);
    }

    public async Task<IReadOnlyList<AccessToken>> ListAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<AccessToken>(new CommandDefinition(
            $"select {Columns} from personal_access_tokens where user_id = @userId order by created_at, id",
            new { userId }, cancellationToken: cancellationToken))];
    }

    /// <summary>False when the token does not exist or is another user's (the caller answers 404 either way).</summary>
    public async Task<bool> RevokeAsync(Guid userId, Guid tokenId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "delete from personal_access_tokens where id = @tokenId and user_id = @userId",
            new { tokenId, userId }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Whom a bearer secret authenticates, or null (unknown, revoked or expired).</summary>
    public async Task<TokenOwner?> FindOwnerAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = SecretTokens.Hash(secret);
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(Guid UserId, DateTime? LastUsedAt, DateTime? ExpiresAt)?>(new CommandDefinition(
            "select user_id, last_used_at, expires_at from personal_access_tokens where token_hash = @hash and (expires_at is null or expires_at > @now)",
            new { hash, now }, cancellationToken: cancellationToken));
        if (row is not { } found)
        {
            return null;
        }
        if (found.LastUsedAt is not { } last || now - Utc(last) > LastUsedResolution)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "update personal_access_tokens set last_used_at = @now where token_hash = @hash",
                new { hash, now }, cancellationToken: cancellationToken));
        }
        return new TokenOwner(found.UserId, found.ExpiresAt is { } expires ? Utc(expires) : null);
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
