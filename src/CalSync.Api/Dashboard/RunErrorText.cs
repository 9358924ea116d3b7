using System.Globalization;
using System.Text.RegularExpressions;

namespace CalSync.Api.Dashboard;

/// <summary>A failed run's error in words a person can act on, and the stored message as the technical detail.</summary>
public sealed partial record RunErrorText(string Words, string? Detail)
{
    /// <summary>
    /// The engine stores Google's refusals as "Google Calendar {method} failed: {status} {reason}: {message}", after
    /// "Gave up after N attempts: " when retries ran out; other errors are already sentences, except crashes.
    /// </summary>
    public static RunErrorText Describe(string? error)
    {
        if (string.IsNullOrWhiteSpace(error))
        {
            return new RunErrorText("The run failed without saying why.", null);
        }
        var gaveUp = GaveUp().Match(error);
        var rest = gaveUp.Success ? error[gaveUp.Length..] : error;
        var prefix = gaveUp.Success ? $"CalSync tried {gaveUp.Groups[1].Value} times and gave up. " : "";
        var google = GoogleRefusal().Match(rest);
        if (google.Success)
        {
            var status = int.Parse(google.Groups["status"].Value, CultureInfo.InvariantCulture);
            return new RunErrorText(prefix + GoogleWords(status, google.Groups["reason"].Value), error);
        }
        if (rest.StartsWith("Unexpected error (", StringComparison.Ordinal))
        {
            return new RunErrorText(prefix + "Something unexpected went wrong inside CalSync while running this sync. The next run tries again; the server's log says more.", error);
        }
        return new RunErrorText(error, null);
    }

    private static string GoogleWords(int status, string reason) => status switch
    {
        404 => "Google says a calendar of this sync does not exist any more, or its account can no longer see it: it may have been deleted, " +
               "or its sharing withdrawn. Edit the sync to choose another calendar, or delete the sync.",
        410 => "Google says something this run needed was deleted meanwhile. The next run starts from what Google holds now.",
        401 => "Google did not accept the account's authorisation. Reconnect the account on the Accounts page.",
        429 => "Google's usage limit for the account was reached. The next run tries again.",
        403 when reason is "rateLimitExceeded" or "userRateLimitExceeded" or "quotaExceeded" or "dailyLimitExceeded" =>
            "Google's usage limit for the account was reached. The next run tries again.",
        403 => "Google refused the change: the account may only read this calendar, or the calendar's owner does not allow it. " +
               "Edit the sync to choose a calendar the account may write to, or ask the calendar's owner for edit access.",
        >= 500 => "Google had trouble answering (a fault on Google's side). The next run tries again.",
        400 => "Google refused a request of this run as invalid. The technical detail below says which.",
        _ => $"Google refused a request of this run (HTTP status {status}).",
    };

    [GeneratedRegex(@"^Gave up after (\d+) attempts: ")]
    private static partial Regex GaveUp();

    [GeneratedRegex(@"^Google Calendar \S+ failed: (?<status>\d{3}) (?<reason>[^:\s]+):")]
    private static partial Regex GoogleRefusal();
}
