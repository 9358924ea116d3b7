using Dapper;
using Npgsql;

namespace CalSync.Engine.People;

/// <summary>What <c>/auth/login</c> or <c>/api/accounts/connect</c> started, kept until Google calls back.</summary>
public sealed record PendingLogin
{
    public required string Purpose { get; init; }
    public Guid? UserId { get; init; }
    public required string CodeVerifier { get; init; }
    public required string RedirectUri { get; init; }
    public required string ReturnTo { get; init; }

    public const string SignIn = "sign_in";
    public const string Connect = "connect";

    public override string ToString() => $"PendingLogin {{ Purpose = {Purpose}, UserId = {UserId} }}";
}

/// <summary>
/// OAuth logins in flight, by the hash of their <c>state</c>. Taking one deletes it in the same statement:
/// a state is good for one callback, within ten minutes, and a replay finds nothing.
/// </summary>
public sealed class OAuthLoginStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public async Task SaveAsync(string state, PendingLogin login, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(login);
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            delete from oauth_logins where expires_at < @now;
            insert into oauth_logins (state_hash, purpose, user_id, code_verifier, redirect_uri, return_to, created_at, expires_at)
            values (@hash, @Purpose, @UserId, @CodeVerifier, @RedirectUri, @ReturnTo, @now, @expires);
            """,
            new { hash = SecretTokens.Hash(state), login.Purpose, login.UserId, login.CodeVerifier, login.RedirectUri, login.ReturnTo, now, expires = now + Lifetime },
            cancellationToken: cancellationToken));
    }

    public async Task<PendingLogin?> TakeAsync(string state, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PendingLogin>(new CommandDefinition(
            """
            with taken as (delete from oauth_logins where state_hash = @hash returning *)
            select purpose as Purpose, user_id as UserId, code_verifier as CodeVerifier, redirect_uri as RedirectUri, return_to as ReturnTo
            from taken where expires_at > @now
            """,
            new { hash = SecretTokens.Hash(state), now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }
}
