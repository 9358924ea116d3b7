using CalSync.Engine.Auth;
using Dapper;
using Npgsql;

namespace CalSync.Api.Users;

public sealed record User
{
    public required Guid Id { get; init; }
    public required string Email { get; init; }
    public string DisplayName { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The <c>users</c> table: who signs in, found by any Google account they connected.</summary>
public sealed class UserStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>
    /// The user this Google identity signs in as: the one it created, else the earliest user who connected it;
    /// a new user when nobody knows it (race-safe on the unique sign-in subject).
    /// </summary>
    public async Task<Guid> FindOrCreateAsync(GoogleIdentity identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var existing = await connection.QueryFirstOrDefaultAsync<Guid?>(new CommandDefinition(
            """
            select id from (
                select id, 0 as rank, created_at from users where google_subject = @subject
                union all
                select user_id, 1, created_at from google_accounts where google_subject = @subject
            ) known
            order by rank, created_at
            limit 1
            """,
            new { subject = identity.Subject }, cancellationToken: cancellationToken));
        if (existing is { } id)
        {
            return id;
        }
        return await connection.QuerySingleAsync<Guid>(new CommandDefinition(
            """
            insert into users (id, email, display_name, google_subject, created_at)
            values (@id, @email, @name, @subject, @now)
            on conflict (google_subject) where google_subject is not null do update set email = excluded.email
            returning id
            """,
            new { id = Guid.CreateVersion7(time.GetUtcNow()), email = identity.Email, name = identity.Name ?? "", subject = identity.Subject, now = time.GetUtcNow() },
            cancellationToken: cancellationToken));
    }

    public async Task<User?> GetAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            "select id as Id, email as Email, display_name as DisplayName, created_at as CreatedAt from users where id = @userId",
            new { userId }, cancellationToken: cancellationToken));
    }
}
