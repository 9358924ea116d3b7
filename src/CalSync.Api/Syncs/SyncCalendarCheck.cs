using CalSync.Api.Accounts;
using CalSync.Engine.Sync;

namespace CalSync.Api.Syncs;

/// <summary>The calendars of a sync as Google sees them: <see cref="Unavailable"/> says Google could not be asked.</summary>
public sealed record CheckedCalendars(SyncSettings? Settings, string? Unavailable = null);

/// <summary>
/// Asks Google (one calendarList call per account) whether a sync's calendars are the caller's to use: the accounts
/// are the caller's and connected, the calendars in their lists, the target (and, two-way, the source) writable, and
/// the two not the same calendar. <c>primary</c> becomes the primary calendar's id, so the stored sync names it plainly.
/// </summary>
public sealed class SyncCalendarCheck(AccountCalendars calendars)
{
    public async Task<CheckedCalendars> CheckAsync(Guid userId, SyncSettings settings, FieldErrors errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        var sourceAccount = await calendars.ListAsync(userId, settings.Source.AccountId, cancellationToken);
        var targetAccount = settings.Target.AccountId == settings.Source.AccountId
            ? sourceAccount
            : await calendars.ListAsync(userId, settings.Target.AccountId, cancellationToken);

        var twoWay = settings.Direction == SyncRules.TwoWay;
        var (source, sourceDown) = Find("source", sourceAccount, settings.Source.CalendarId, mustWrite: twoWay, errors);
        var (target, targetDown) = Find("target", targetAccount, settings.Target.CalendarId, mustWrite: true, errors);
        if ((sourceDown ?? targetDown) is { } unavailable)
        {
            return new CheckedCalendars(null, unavailable);
        }
        // Calendar ids are global at Google: one calendar shared with two accounts is still one calendar.
        if (source is not null && target is not null && source.Id == target.Id)
        {
            errors.Add("target.calendarId", "The target must be another calendar than the source.");
        }
        return errors.Any
            ? new CheckedCalendars(null)
            : new CheckedCalendars(settings with
            {
                Source = new CalendarRef(settings.Source.AccountId, source!.Id),
                Target = new CalendarRef(settings.Target.AccountId, target!.Id),
                SourceName = source.Summary,
                TargetName = target.Summary,
            });
    }

    private static (CalendarReply? Calendar, string? Unavailable) Find(
        string side, CalendarsLookup account, string calendarId, bool mustWrite, FieldErrors errors)
    {
        if (!account.Found)
        {
            // The same words for an unknown id and another person's: nothing tells them apart.
            errors.Add($"{side}.accountId", "None of your connected Google accounts has this id (GET /api/accounts lists them).");
            return (null, null);
        }
        if (account.Problem is { } problem)
        {
            if (account.ProblemStatus != StatusCodes.Status409Conflict)
            {
                return (null, problem);
            }
            errors.Add($"{side}.accountId", problem); // Needs reconnecting: the caller's own account, so naming it is fine.
            return (null, null);
        }
        var calendar = account.Find(calendarId);
        if (calendar is null)
        {
            errors.Add($"{side}.calendarId", $"{account.Account!.Email} has no calendar with this id (GET /api/accounts/{account.Account.Id}/calendars lists them).");
        }
        else if (mustWrite && !calendar.CanWrite)
        {
            var why = side == "target" ? "copies are written to the target" : "a two-way sync writes to the source too";
            errors.Add($"{side}.calendarId", $"{account.Account!.Email} may only read this calendar ({calendar.AccessRole}), but {why}: it needs owner or writer access.");
        }
        return (calendar, null);
    }
}
