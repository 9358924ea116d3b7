using CalSync.Engine.Auth;
using Dapper;
using Npgsql;

namespace CalSync.Engine.People;

public sealed record User
{
    public required Guid Id { get; init; }
    public required string Email { get; init; }
    public string DisplayName { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The <c>users</c> table: who signs in, found by the Google account they first signed in with.</summary>
public sealed class UserStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>
    /// The user this Google identity signs in as: the one it created, or a new one (race-safe on the unique sign-in
    /// subject). Accounts connected later do not sign in: a Google account someone else can use (a shared family
    /// account, say) must never open its connector's CalSync, with their other accounts' calendars.
    /// </summary>
    public async Task<Guid> FindOrCreateAsync(GoogleIdentity identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
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
