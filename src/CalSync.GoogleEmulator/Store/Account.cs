using System.Security.Cryptography;
using System.Text;

namespace CalSync.GoogleEmulator.Store;

/// <summary>A Google account: its primary calendar has the email as id.</summary>
internal sealed class Account(string email, string name)
{
    public string Email { get; } = email;

    public string Name { get; set; } = name;

    /// <summary>Google's stable numeric subject; derived from the email so it survives a reset and a restart.</summary>
    public string Subject { get; } = DeriveSubject(email);

    /// <summary>Calendars in this account's calendar list with the change sequence of their entry (for calendarList sync tokens).</summary>
    public Dictionary<string, long> CalendarList { get; } = new(StringComparer.OrdinalIgnoreCase);

    public long CalendarListSeq { get; set; }

    /// <summary>Per-account entry settings written with calendarList.patch/update (summaryOverride, colorId, hidden, ...).</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonObject> ListOverrides { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Entries removed from the list, with the sequence of their removal: incremental calendarList sync reports them as deleted.</summary>
    public Dictionary<string, long> RemovedFromList { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Called after every change to the list (push notifications for calendarList.watch).</summary>
    public Action<Account>? OnListChanged { get; init; }

    public void TouchListEntry(string calendarId)
    {
        CalendarList[calendarId] = ++CalendarListSeq;
        RemovedFromList.Remove(calendarId);
        OnListChanged?.Invoke(this);
    }

    public bool RemoveListEntry(string calendarId)
    {
        if (!CalendarList.Remove(calendarId))
        {
            return false;
        }

        ListOverrides.Remove(calendarId);
        RemovedFromList[calendarId] = ++CalendarListSeq;
        OnListChanged?.Invoke(this);
        return true;
    }

    private static string DeriveSubject(string email)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(email.ToUpperInvariant()));
        var value = BitConverter.ToUInt64(hash, 0) % 100_000_000_000_000_000UL;
        return "1" + value.ToString("D20", System.Globalization.CultureInfo.InvariantCulture);
    }
}
