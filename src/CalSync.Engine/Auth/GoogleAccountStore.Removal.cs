using Dapper;
using Npgsql;

namespace CalSync.Engine.Auth;

public enum AccountDeletion
{
    Deleted,
    NotFound,

    /// <summary>A sync uses the account: one was created meanwhile, or a deleted one is still removing its copies.</summary>
    InUse,
}

public sealed partial class GoogleAccountStore
{
    /// <summary>Whether another person here has the same Google account connected and active.</summary>
    public async Task<bool> IsSharedWithAnotherUserAsync(GoogleAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            select exists (select 1 from google_accounts
                           where google_subject = @GoogleSubject and user_id <> @UserId and status = 'active')
            """,
            new { account.GoogleSubject, account.UserId }, cancellationToken: cancellationToken));
    }

    /// <summary>Deletes the user's account row and its encrypted tokens, with the deleted syncs that still reference it.</summary>
    public async Task<AccountDeletion> DeleteAsync(Guid userId, Guid accountId, CancellationToken cancellationToken)
    {
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
            return deleted == 1 ? AccountDeletion.Deleted : AccountDeletion.NotFound;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return AccountDeletion.InUse;
        }
    }
}
