using CalSync.Api.Accounts;
using CalSync.Api.Auth;
using CalSync.Engine.Auth;
using CalSync.Engine.People;
using CalSync.Engine.Sync;
using Microsoft.AspNetCore.Mvc;

namespace CalSync.Api.Dashboard.Pages.Accounts;

/// <summary>Connected Google accounts: connect another, reconnect one, remove one (refused, with the syncs named, while used).</summary>
public sealed class IndexModel(SignInFlow flow, GoogleAccountStore accounts, AccountRemoval removal, SyncStore syncs) : DashboardPage
{
    /// <summary>The account a removal was refused for, and the syncs that use it.</summary>
    public (GoogleAccount Account, IReadOnlyList<SyncRecord> Syncs)? InUse { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostConnectAsync(CancellationToken cancellationToken) =>
        Redirect((await flow.BeginAsync(HttpContext, PendingLogin.Connect, UserId, null, "/accounts", cancellationToken)).ToString());

    public async Task<IActionResult> OnPostReconnectAsync(Guid id, CancellationToken cancellationToken)
    {
        var account = await accounts.GetAsync(id, cancellationToken);
        if (account is null || account.UserId != UserId)
        {
            return NotFound();
        }
        return Redirect((await flow.BeginAsync(HttpContext, PendingLogin.Connect, UserId, account.Email, "/accounts", cancellationToken)).ToString());
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, CancellationToken cancellationToken)
    {
        var account = Viewer.Accounts.FirstOrDefault(a => a.Id == id);
        switch (await removal.RemoveAsync(UserId, id, cancellationToken))
        {
            case AccountRemovalResult.Removed:
                Notice = $"{account?.Email} is disconnected, and CalSync's access to it is revoked at Google.";
                return Redirect("/accounts");
            case AccountRemovalResult.InUse:
                InUse = (account!, await syncs.ListUsingAccountAsync(UserId, id, cancellationToken));
                return Page();
            case AccountRemovalResult.RevokeFailed:
                Notice = "Google could not be reached to revoke CalSync's access, so nothing was removed. Try again in a moment.";
                return Redirect("/accounts");
            default:
                return NotFound();
        }
    }
}
