using CalSync.Engine.Auth;
using CalSync.Engine.Push;
using CalSync.Engine.Sync;

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
    GoogleAccountStore accounts, SyncStore syncs, GoogleOAuthClient oauth, ChannelStopper channels, ILogger<AccountRemoval> logger)
{
    public async Task<AccountRemovalResult> RemoveAsync(Guid userId, Guid accountId, CancellationToken cancellationToken)
    {
        var account = await accounts.GetAsync(accountId, cancellationToken);
        if (account is null || account.UserId != userId)
        {
            return AccountRemovalResult.NotFound;
        }
        if (await syncs.CountUsingAccountAsync(accountId, cancellationToken) > 0)
        {
            return AccountRemovalResult.InUse;
        }
        // Only these credentials can stop the account's push channels, so before they go.
        await channels.StopAllOfAccountAsync(accountId, cancellationToken);
        // Google revokes a grant, not a token: while another person here uses the same Google account, revoking
        // would cut them off too, so only the row goes.
        if (!await accounts.IsSharedWithAnotherUserAsync(account, cancellationToken)
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
        return await accounts.DeleteAsync(userId, accountId, cancellationToken) switch
        {
            AccountDeletion.Deleted => AccountRemovalResult.Removed,
            AccountDeletion.InUse => AccountRemovalResult.InUse,
            _ => AccountRemovalResult.NotFound,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not revoke Google account {AccountId} at Google ({Error}); it stays connected")]
    private partial void LogRevokeFailed(Guid accountId, string error);
}
