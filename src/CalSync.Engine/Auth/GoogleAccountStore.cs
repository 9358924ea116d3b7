using Dapper;
using Npgsql;

namespace CalSync.Engine.Auth;

/// <summary>
/// <c>google_accounts</c> rows with their tokens encrypted by the <see cref="TokenVault"/>, each ciphertext bound
/// to its row id and column. Plaintext tokens exist only in memory, between this store and the credential.
/// </summary>
public sealed partial class GoogleAccountStore(NpgsqlDataSource dataSource, TokenVault vault, TimeProvider time)
{
    private const string AccountColumns = "id as Id, user_id as UserId, google_subject as GoogleSubject, email as Email, status as Status, scopes as Scopes";

    /// <summary>
    /// Stores a freshly connected account (or reconnects it: same user and Google subject → same row), active again
    /// with the new tokens. A reconnect without a new refresh token keeps the stored one.
    /// </summary>
    public async Task<GoogleAccount> ConnectAsync(Guid userId, GoogleIdentity identity, OAuthTokens tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(tokens);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var account = await connection.QuerySingleAsync<GoogleAccount>(new CommandDefinition(
            $"""
            insert into google_accounts (id, user_id, google_subject, email, status, scopes, created_at, updated_at)
            values (@id, @userId, @subject, @email, 'active', @scopes, @now, @now)
            on conflict (user_id, google_subject) do update
                set email = excluded.email, status = 'active', scopes = excluded.scopes, updated_at = excluded.updated_at
            returning {AccountColumns}
            """,
            new { id = Guid.NewGuid(), userId, subject = identity.Subject, email = identity.Email, scopes = tokens.Scope, now },
            transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            update google_accounts
            set access_token = @access, access_token_expires = @expires, refresh_token = coalesce(@refresh, refresh_token)
            where id = @id
            """,
            new
            {
                id = account.Id,
                access = vault.Encrypt(tokens.AccessToken, TokenBinding.AccessToken(account.Id)),
                expires = tokens.ExpiresAt,
                refresh = tokens.RefreshToken is null ? null : vault.Encrypt(tokens.RefreshToken, TokenBinding.RefreshToken(account.Id)),
            },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return account;
    }

    public async Task<GoogleAccount?> GetAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<GoogleAccount>(new CommandDefinition(
            $"select {AccountColumns} from google_accounts where id = @accountId", new { accountId }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<GoogleAccount>> ListForUserAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<GoogleAccount>(new CommandDefinition(
            $"select {AccountColumns} from google_accounts where user_id = @userId order by email", new { userId }, cancellationToken: cancellationToken))];
    }

    /// <summary>The account's refresh token (decrypted), e.g. to revoke it on disconnect; null when none is stored.</summary>
    public async Task<string?> GetRefreshTokenAsync(Guid accountId, CancellationToken cancellationToken) =>
        (await LoadTokensAsync(accountId, cancellationToken))?.RefreshToken;

    /// <summary>Marks the account <c>reauth_required</c> and forgets its tokens, which Google no longer accepts.</summary>
    public async Task MarkReauthRequiredAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            update google_accounts
            set status = 'reauth_required', access_token = null, access_token_expires = null, refresh_token = null, updated_at = @now
            where id = @accountId
            """,
            new { accountId, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    internal async Task<StoredTokens?> LoadTokensAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(
            """
            select id as Id, status as Status, access_token as AccessToken, access_token_expires as AccessTokenExpires, refresh_token as RefreshToken
            from google_accounts where id = @accountId
            """,
            new { accountId }, cancellationToken: cancellationToken));
        return row is null ? null : new StoredTokens(
            row.Id,
            row.Status,
            row.AccessToken is null ? null : vault.Decrypt(row.AccessToken, TokenBinding.AccessToken(row.Id)),
            row.AccessTokenExpires is { } expires ? new DateTimeOffset(DateTime.SpecifyKind(expires, DateTimeKind.Utc)) : null,
            row.RefreshToken is null ? null : vault.Decrypt(row.RefreshToken, TokenBinding.RefreshToken(row.Id)));
    }

    /// <summary>Stores a refreshed access token (and a rotated refresh token, if Google sent one).</summary>
    internal async Task SaveRefreshedAsync(Guid accountId, OAuthTokens tokens, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            update google_accounts
            set access_token = @access, access_token_expires = @expires, refresh_token = coalesce(@refresh, refresh_token), updated_at = @now
            where id = @accountId and status = 'active'
            """,
            new
            {
                accountId,
                access = vault.Encrypt(tokens.AccessToken, TokenBinding.AccessToken(accountId)),
                expires = tokens.ExpiresAt,
                refresh = tokens.RefreshToken is null ? null : vault.Encrypt(tokens.RefreshToken, TokenBinding.RefreshToken(accountId)),
                now = time.GetUtcNow(),
            },
            cancellationToken: cancellationToken));
    }

    // Npgsql reads timestamptz as a UTC DateTime.
    private sealed record TokenRow(Guid Id, string Status, byte[]? AccessToken, DateTime? AccessTokenExpires, byte[]? RefreshToken);
}
