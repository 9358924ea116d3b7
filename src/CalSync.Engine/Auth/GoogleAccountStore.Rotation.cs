using Dapper;

namespace CalSync.Engine.Auth;

public sealed partial class GoogleAccountStore
{
    /// <summary>
    /// Re-encrypts every token not made with the vault's active key, walking the table in id order in batches
    /// (one short transaction per batch). A row changed concurrently is skipped by its compare-and-set and keeps a
    /// valid ciphertext; run it again to pick such rows up. Returns the number of rows rewritten.
    /// </summary>
    public async Task<int> ReEncryptAllAsync(int batchSize = 500, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var rewritten = 0;
        var after = Guid.Empty;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var rows = (await connection.QueryAsync<CipherRow>(new CommandDefinition(
                """
                select id as Id, access_token as AccessToken, refresh_token as RefreshToken
                from google_accounts where id > @after order by id limit @batchSize
                """,
                new { after, batchSize }, cancellationToken: cancellationToken))).ToList();
            if (rows.Count == 0)
            {
                return rewritten;
            }
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var row in rows.Where(r => IsStale(r.AccessToken) || IsStale(r.RefreshToken)))
            {
                rewritten += await connection.ExecuteAsync(new CommandDefinition(
                    """
                    update google_accounts set access_token = @newAccess, refresh_token = @newRefresh
                    where id = @Id and access_token is not distinct from @AccessToken and refresh_token is not distinct from @RefreshToken
                    """,
                    new
                    {
                        row.Id,
                        row.AccessToken,
                        row.RefreshToken,
                        newAccess = Reencrypt(row.AccessToken, TokenBinding.AccessToken(row.Id)),
                        newRefresh = Reencrypt(row.RefreshToken, TokenBinding.RefreshToken(row.Id)),
                    },
                    transaction, cancellationToken: cancellationToken));
            }
            await transaction.CommitAsync(cancellationToken);
            after = rows[^1].Id;
        }
    }

    private bool IsStale(byte[]? ciphertext) => ciphertext is not null && TokenVault.KeyIdOf(ciphertext) != vault.ActiveKeyId;

    private byte[]? Reencrypt(byte[]? ciphertext, TokenBinding binding) =>
        ciphertext is null || !IsStale(ciphertext) ? ciphertext : vault.Encrypt(vault.Decrypt(ciphertext, binding), binding);

    private sealed record CipherRow(Guid Id, byte[]? AccessToken, byte[]? RefreshToken);
}
