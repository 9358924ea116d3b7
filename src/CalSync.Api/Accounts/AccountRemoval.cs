using CalSync.Engine.Auth;
using CalSync.Engine.Push;
using Dapper;
using Npgsql;

namespace CalSync.Api.Accounts;

public enum AccountRemovalResult
{
    Removed,
    NotFound,
    /// <summary>Syncs still use the account: remove them first.</summary>
    InUse,
    /// <summary>Google could not be reached to revoke access; nothing was removed.</summary>
    RevokeFailed,
}

/// <summary>
/// Disconnects a Google account: refused while a sync uses it; otherwise access is revoked at Google first
/// (so CalSync keeps no working grant it no longer shows; unless another person here still uses that Google
/// account) and then the row and its encrypted tokens are deleted.
/// </summary>
public sealed partial class AccountRemoval(
    NpgsqlDataSource dataSource, GoogleAccountStore accounts, GoogleOAuthClient oauth, ChannelStopper channels, ILogger<AccountRemoval> logger)
{
    public async Task<AccountRemovalResult> RemoveAsync(Guid userId, Guid accountId, CancellationToken cancellationToken)
    {
        var account = await accounts.GetAsync(accountId, cancellationToken);
        if (account is null || account.UserId != userId)
        {
            return AccountRemovalResult.NotFound;
        }
        if (await CountSyncsUsingAsync(accountId, cancellationToken) > 0)
        {
            return AccountRemovalResult.InUse;
        }
        // Only these credentials can stop the account's push channels, so before they go.
        await channels.StopAllOfAccountAsync(accountId, cancellationToken);
        // Google revokes a grant, not a token: while another person here uses the same Google account, revoking
        // would cut them off too, so only the row goes.
        if (!await SharedWithAnotherUserAsync(account, cancellationToken)
            && await accounts.GetRefreshTokenAsync(accountId, cancellationToken) is { } refreshToken)
        {
            try
            {
                await oauth.RevokeAsync(refreshToken, cancellationToken);
            }
            catch (GoogleOAuthException ex)
            {
                LogRevokeFailed(accountId, ex.Error);
                return AccountRemovalResult.RevokeFailed;
            }
        }
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Deleted syncs keep their rows for their run history; they go with the account they reference.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                delete from syncs
                where deleted_at is not null and user_id = @userId and (a_account_id = @accountId or b_account_id = @accountId)
                  and not exists (select 1 from runs r where r.sync_id = syncs.id and r.status in ('queued', 'running'))
                """,
                new { userId, accountId }, transaction, cancellationToken: cancellationToken));
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                "delete from google_accounts where id = @accountId and user_id = @userId",
                new { userId, accountId }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return deleted == 1 ? AccountRemovalResult.Removed : AccountRemovalResult.NotFound;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            // A sync was created meanwhile, or a deleted one is still removing its copies.
            return AccountRemovalResult.InUse;
        }
    }

    private async Task<long> CountSyncsUsingAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select count(*) from syncs where deleted_at is null and (a_account_id = @accountId or b_account_id = @accountId)",
            new { accountId }, cancellationToken: cancellationToken));
    }

    private async Task<bool> SharedWithAnotherUserAsync(GoogleAccount account, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            select exists (select 1 from google_accounts
                           where google_subject = @GoogleSubject and user_id <> @UserId and status = 'active')
            """,
            new { account.GoogleSubject, account.UserId }, cancellationToken: cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not revoke Google account {AccountId} at Google ({Error}); it stays connected")]
    private partial void LogRevokeFailed(Guid accountId, string error);
}
