using CalSync.GoogleEmulator.Faults;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Api;

/// <summary>What a Calendar handler gets: the request, the authenticated account, the state (lock held) and path arguments.</summary>
internal sealed class CallContext(ApiRequest request, Account account, EmulatorState state, IReadOnlyList<string> args, FaultSettings? faults = null)
{
    public ApiRequest Request => request;

    public Account Account => account;

    public EmulatorState State => state;

    public IReadOnlyList<string> Args => args;

    public QueryParams Query => request.Query;

    public FaultSettings Faults { get; } = faults ?? new FaultSettings();

    /// <summary>
    /// Resolves "primary" and checks access: a calendar the account cannot see is 404 as on Google;
    /// writing to a read-only one is 403.
    /// </summary>
    public ApiResponse? Calendar(string id, bool write, out CalendarState calendar, out string role)
    {
        calendar = null!;
        role = "";
        var resolved = id == "primary" ? account.Email : id;
        if (!state.Calendars.TryGetValue(resolved, out var found) || found.AccessRole(account.Email) is not { } r || r == "freeBusyReader")
        {
            return GoogleError.NotFound();
        }

        if (write && !CalendarState.CanWrite(r))
        {
            return GoogleError.WriterAccessRequired();
        }

        calendar = found;
        role = r;
        return null;
    }

    /// <summary>Compares an If-Match/If-None-Match header with an etag; quotes are optional on the wire.</summary>
    public static bool EtagMatches(string header, string etag)
    {
        foreach (var part in header.Split(','))
        {
            var candidate = part.Trim();
            if (candidate == "*" || Unquote(candidate) == Unquote(etag))
            {
                return true;
            }
        }

        return false;
    }

    private static string Unquote(string value)
    {
        var v = value.StartsWith("W/", StringComparison.Ordinal) ? value[2..] : value;
        return v.Trim('"');
    }
}
