using CalSync.Api.Accounts;
using CalSync.Engine.Auth;

namespace CalSync.Api.Dashboard;

/// <summary>One account's calendars for the pickers, or why they cannot be listed.</summary>
public sealed record AccountChoices(GoogleAccount Account, IReadOnlyList<CalendarReply> Calendars, string? Problem);

/// <summary>Every connected account's calendars, asked of Google through the same lookup the API's calendars route uses.</summary>
public sealed class SyncPickers(AccountCalendars calendars)
{
    public async Task<IReadOnlyList<AccountChoices>> ListAsync(Viewer viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        var choices = new List<AccountChoices>();
        foreach (var account in viewer.Accounts)
        {
            var lookup = await calendars.ListAsync(viewer.User.Id, account.Id, cancellationToken);
            choices.Add(new AccountChoices(account, lookup.Calendars, lookup.Problem));
        }
        return choices;
    }
}
