using System.Buffers.Text;
using System.Security.Cryptography;
using CalSync.GoogleEmulator.Push;

namespace CalSync.GoogleEmulator.Store;

/// <summary>
/// Everything the emulator knows, guarded by one lock: correctness first. Event versions are immutable,
/// so list responses are serialised after the lock is released.
/// </summary>
internal sealed class EmulatorState(TimeProvider time)
{
    public const string FullScope = "https://www.googleapis.com/auth/calendar";

    private static readonly string[] CalendarColors = ["14", "9", "17", "5", "11", "7", "20", "2"];

    private long _etag = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    public Lock Gate { get; } = new();

    public TimeProvider Time => time;

    public Dictionary<string, Account> Accounts { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, CalendarState> Calendars { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, AccessToken> AccessTokens { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, RefreshToken> RefreshTokens { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, AuthorizationCode> AuthorizationCodes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, WatchChannel> Channels { get; } = new(StringComparer.Ordinal);

    /// <summary>Raised under the lock after a calendar's events changed; subscribers must not block.</summary>
    public event Action<CalendarState>? CalendarChanged;

    /// <summary>Raised under the lock after an account's calendar list changed.</summary>
    public event Action<Account>? ListChanged;

    /// <summary>Raised under the lock after a calendar's sharing changed.</summary>
    public event Action<CalendarState>? AclChanged;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Google's etags look like a quoted 16-digit microsecond count; unique and increasing here.</summary>
    public string NextEtag() => $"\"{Interlocked.Increment(ref _etag)}\"";

    /// <summary>The last etag number handed out; a restored emulator continues above it so etags keep increasing.</summary>
    public long LastEtag
    {
        get => Interlocked.Read(ref _etag);
        set => Interlocked.Exchange(ref _etag, value);
    }

    public void Reset()
    {
        Accounts.Clear();
        Calendars.Clear();
        AccessTokens.Clear();
        RefreshTokens.Clear();
        AuthorizationCodes.Clear();
        Channels.Clear();
    }

    public Account CreateAccount(string email, string name, string timeZone = "UTC")
    {
        if (Accounts.TryGetValue(email, out var existing))
        {
            return existing;
        }

        var account = AddAccount(email, name);
        var primary = new CalendarState(email, email, isPrimary: true)
        {
            Summary = email, TimeZone = timeZone, ColorId = "14", Etag = NextEtag(), Updated = Now,
        };
        Calendars[email] = primary;
        account.TouchListEntry(email);
        return account;
    }

    /// <summary>The account alone, without its primary calendar (a restore brings that separately).</summary>
    public Account AddAccount(string email, string name)
    {
        var account = new Account(email, name) { OnListChanged = a => ListChanged?.Invoke(a) };
        Accounts[email] = account;
        return account;
    }

    public CalendarState CreateCalendar(Account owner, string summary, string timeZone, string? id = null)
    {
        id ??= RandomId(26) + "@group.calendar.google.com";
        var calendar = new CalendarState(id, owner.Email, isPrimary: false)
        {
            Summary = summary,
            TimeZone = timeZone,
            ColorId = CalendarColors[owner.CalendarList.Count % CalendarColors.Length],
            Etag = NextEtag(),
            Updated = Now,
        };
        Calendars[id] = calendar;
        owner.TouchListEntry(id);
        return calendar;
    }

    /// <summary>Shares a calendar; any role change invalidates sync tokens, as Google documents for ACL changes.</summary>
    public void Share(CalendarState calendar, Account account, string role) => Share(calendar, account.Email, account, role);

    /// <summary>Also for people without an emulator account: the rule is kept, there is just no calendar list to show it in.</summary>
    public void Share(CalendarState calendar, string email, Account? account, string role)
    {
        if (role == "none")
        {
            calendar.Acl.Remove(email);
            account?.RemoveListEntry(calendar.Id);
        }
        else
        {
            calendar.Acl[email] = role;
            account?.TouchListEntry(calendar.Id);
        }

        calendar.TokenEpoch++;
        AclChanged?.Invoke(calendar);
    }

    /// <summary>Every access token of the account stops working now; refresh tokens still work.</summary>
    public void ExpireAccessTokens(string email)
    {
        foreach (var token in AccessTokens.Values.Where(t => string.Equals(t.Email, email, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            AccessTokens[token.Token] = token with { ExpiresAt = Now };
        }
    }

    /// <summary>The user removed the app's access: every refresh token of the account is revoked.</summary>
    public void RevokeGrants(string email)
    {
        foreach (var refresh in RefreshTokens.Values.Where(t => string.Equals(t.Email, email, StringComparison.OrdinalIgnoreCase)))
        {
            refresh.Revoked = true;
        }
    }

    public long NextChange(CalendarState calendar)
    {
        calendar.Updated = Now;
        return ++calendar.Seq;
    }

    public void RaiseChanged(CalendarState calendar) => CalendarChanged?.Invoke(calendar);

    /// <summary>Lower-case base32hex, the alphabet of Google event ids.</summary>
    public static string RandomId(int length)
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuv";
        Span<byte> bytes = stackalloc byte[length];
        RandomNumberGenerator.Fill(bytes);
        return string.Create(length, bytes.ToArray(), (span, b) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[b[i] & 31];
            }
        });
    }

    public static string RandomToken(int bytes) =>
        Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
}
