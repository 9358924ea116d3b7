using CalSync.Engine.Auth;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;

namespace CalSync.Api.Accounts;

/// <summary>A calendar of a connected account, as the Api shows it; <see cref="BackgroundColor"/> is its colour at Google (#rrggbb).</summary>
public sealed record CalendarReply(string Id, string Summary, string AccessRole, bool Primary, bool CanWrite, string? TimeZone, string? BackgroundColor = null)
{
    public static CalendarReply From(CalendarListEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Id, entry.SummaryOverride ?? entry.Summary ?? entry.Id, entry.AccessRole ?? "", entry.Primary == true, entry.CanWrite, entry.TimeZone, entry.BackgroundColor);
    }
}

/// <summary>How asking Google for an account's calendars went.</summary>
public sealed record CalendarsLookup(GoogleAccount? Account, IReadOnlyList<CalendarReply> Calendars, string? Problem = null, int ProblemStatus = 0)
{
    public bool Found => Account is not null;

    /// <summary>A calendar by its id; <c>primary</c> also names the account's primary calendar, as at Google.</summary>
    public CalendarReply? Find(string calendarId) =>
        Calendars.FirstOrDefault(c => c.Id == calendarId) ?? (calendarId == "primary" ? Calendars.FirstOrDefault(c => c.Primary) : null);
}

/// <summary>Lists a caller's account's calendars at Google (one calendarList call), for the calendars route and sync validation.</summary>
public sealed class AccountCalendars(GoogleAccountStore accounts, GoogleCalendarClientFactory google)
{
    /// <summary>Not <see cref="CalendarsLookup.Found"/> when the account is not the caller's; a problem when Google cannot answer.</summary>
    public async Task<CalendarsLookup> ListAsync(Guid userId, Guid accountId, CancellationToken cancellationToken)
    {
        var account = await accounts.GetAsync(accountId, cancellationToken);
        if (account is null || account.UserId != userId)
        {
            return new CalendarsLookup(null, []);
        }
        if (account.NeedsReauthorization)
        {
            return new CalendarsLookup(account, [], $"Google account {account.Email} must be connected again (GET /api/accounts/{account.Id}/reconnect).", StatusCodes.Status409Conflict);
        }
        try
        {
            var entries = await google.ForAccount(accountId).ListCalendarsAsync(cancellationToken);
            return new CalendarsLookup(account, [.. entries.Where(e => e.Deleted != true).Select(CalendarReply.From)]);
        }
        catch (ReauthRequiredException)
        {
            return new CalendarsLookup(account, [], $"Google account {account.Email} must be connected again (GET /api/accounts/{account.Id}/reconnect).", StatusCodes.Status409Conflict);
        }
        catch (GoogleException ex) when (ex.IsRetryable)
        {
            return new CalendarsLookup(account, [], "Google did not answer; try again shortly.", StatusCodes.Status502BadGateway);
        }
    }
}
