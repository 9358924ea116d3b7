namespace CalSync.Api.Syncs;

// Members note that they were given (as SyncPatch's do), so one type serves a create (left out: the default), a
// merge patch (left out: unchanged; null: the default) and a reply (every member set).

/// <summary>
/// Which events are copied in one direction. Every member is optional; left out, it keeps CalSync's behaviour before
/// rules existed, except <c>skipDeclined</c> (default true). A skipped event appears once in the run's changes, with
/// the rule that skipped it (e.g. <c>copyToTarget.filter.allDay</c>).
/// </summary>
public sealed class CopyFilterBody
{
    private readonly HashSet<string> _given = [];

    /// <summary>An invitation the person declined is not copied, and its copy is removed when they decline later (default true).</summary>
    public bool? SkipDeclined { get; init { field = value; _given.Add(nameof(SkipDeclined)); } }

    /// <summary>Invitations answered "maybe": <c>copy</c> as they are (default), as <c>free</c>, as <c>busy</c>, or <c>skip</c>.</summary>
    [WireValues("copy", "free", "busy", "skip")]
    public string? Tentative { get; init { field = value; _given.Add(nameof(Tentative)); } }

    /// <summary>Invitations not answered yet: <c>copy</c> (default), <c>free</c>, <c>busy</c> or <c>skip</c>.</summary>
    [WireValues("copy", "free", "busy", "skip")]
    public string? NeedsAction { get; init { field = value; _given.Add(nameof(NeedsAction)); } }

    /// <summary>Events marked free: <c>copy</c> (default) or <c>skip</c>.</summary>
    [WireValues("copy", "skip")]
    public string? FreeEvents { get; init { field = value; _given.Add(nameof(FreeEvents)); } }

    /// <summary>All-day events: <c>all</c> (default), <c>busyOnly</c> (those marked busy) or <c>skip</c>.</summary>
    [WireValues("all", "busyOnly", "skip")]
    public string? AllDay { get; init { field = value; _given.Add(nameof(AllDay)); } }

    /// <summary>
    /// Only events overlapping these hours are copied (an event crossing their edge is copied whole); null: all hours.
    /// A patch merges it member by member into the sync's working hours (a member left out keeps its value) and null removes
    /// them; while the sync has none, all four members are required (there are no defaults).
    /// </summary>
    public WorkingHoursBody? WorkingHours { get; init { field = value; _given.Add(nameof(WorkingHours)); } }

    /// <summary>When not empty, only events whose title (or description, with <c>matchDescription</c>) contains one of these words, ignoring case. Up to 50 words of 1 to 100 characters.</summary>
    public IReadOnlyList<string>? Include { get; init { field = value; _given.Add(nameof(Include)); } }

    /// <summary>Events whose title (or description, with <c>matchDescription</c>) contains one of these words, ignoring case, are not copied. Up to 50 words of 1 to 100 characters.</summary>
    public IReadOnlyList<string>? Exclude { get; init { field = value; _given.Add(nameof(Exclude)); } }

    /// <summary>The keywords are looked for in the description too (default false).</summary>
    public bool? MatchDescription { get; init { field = value; _given.Add(nameof(MatchDescription)); } }

    /// <summary>When not empty, only events with one of these Google event colour ids ("1" to "11"); an event without a colour of its own has none.</summary>
    public IReadOnlyList<string>? IncludeColors { get; init { field = value; _given.Add(nameof(IncludeColors)); } }

    /// <summary>Events with one of these colour ids ("1" to "11") are not copied.</summary>
    public IReadOnlyList<string>? ExcludeColors { get; init { field = value; _given.Add(nameof(ExcludeColors)); } }

    /// <summary>
    /// Out-of-office events: copied as <c>busy</c> default events (default), as out-of-office events (<c>ownType</c>:
    /// only where the target is its account's primary calendar and the event is timed, as Google allows nowhere else;
    /// a busy event elsewhere or where Google refuses it; changing the rule replaces existing copies) or <c>skip</c>.
    /// </summary>
    [WireValues("busy", "ownType", "skip")]
    public string? OutOfOffice { get; init { field = value; _given.Add(nameof(OutOfOffice)); } }

    /// <summary>Focus-time events: copied as <c>busy</c> default events (default), as focus-time events (<c>ownType</c>, as for <c>outOfOffice</c>) or <c>skip</c>.</summary>
    [WireValues("busy", "ownType", "skip")]
    public string? FocusTime { get; init { field = value; _given.Add(nameof(FocusTime)); } }

    /// <summary>Working-location events: <c>skip</c> (default) or <c>copy</c> (as free events).</summary>
    [WireValues("skip", "copy")]
    public string? WorkingLocation { get; init { field = value; _given.Add(nameof(WorkingLocation)); } }

    /// <summary>Birthdays: <c>skip</c> (default) or <c>copy</c> (as free all-day events).</summary>
    [WireValues("skip", "copy")]
    public string? Birthday { get; init { field = value; _given.Add(nameof(Birthday)); } }

    public bool Has(string member) => _given.Contains(member);
}

/// <summary>
/// Working hours: days of the week and a time of day from/to, read in an IANA time zone. In a patch, a member left out
/// keeps the sync's value; while the sync has no working hours, every member is required.
/// </summary>
public sealed class WorkingHoursBody
{
    private readonly HashSet<string> _given = [];

    /// <summary>E.g. <c>["monday", "tuesday", "wednesday", "thursday", "friday"]</c>; at least one.</summary>
    public IReadOnlyList<string>? Days { get; init { field = value; _given.Add(nameof(Days)); } }

    /// <summary><c>HH:mm</c>, e.g. <c>09:00</c>; before <c>to</c>.</summary>
    public string? From { get; init { field = value; _given.Add(nameof(From)); } }

    /// <summary><c>HH:mm</c>, e.g. <c>17:30</c>; after <c>from</c>.</summary>
    public string? To { get; init { field = value; _given.Add(nameof(To)); } }

    /// <summary>E.g. <c>Europe/Berlin</c>.</summary>
    public string? TimeZone { get; init { field = value; _given.Add(nameof(TimeZone)); } }

    public bool Has(string member) => _given.Contains(member);
}

/// <summary>
/// How copies look in one direction, field by field. Every member is optional; left out, it keeps the origin's
/// content as CalSync always did. Privacy mode overrides title, description, location, attendees and visibility.
/// </summary>
public sealed class CopyLookBody
{
    private readonly HashSet<string> _given = [];

    /// <summary><c>keep</c> the origin's title (default), use the <c>placeholder</c>, or fill in <c>titleTemplate</c> (<c>template</c>).</summary>
    [WireValues("keep", "placeholder", "template")]
    public string? Title { get; init { field = value; _given.Add(nameof(Title)); } }

    /// <summary>1 to 200 characters; <c>{title}</c>, <c>{calendar}</c> (the origin calendar's name) and <c>{account}</c> (its account's email) are filled in. Default <c>{title}</c>.</summary>
    public string? TitleTemplate { get; init { field = value; _given.Add(nameof(TitleTemplate)); } }

    /// <summary><c>keep</c> (default) or <c>drop</c> the description.</summary>
    [WireValues("keep", "drop")]
    public string? Description { get; init { field = value; _given.Add(nameof(Description)); } }

    /// <summary><c>keep</c> (default) or <c>drop</c> the location.</summary>
    [WireValues("keep", "drop")]
    public string? Location { get; init { field = value; _given.Add(nameof(Location)); } }

    /// <summary>The conference (Meet link, dial-in): <c>drop</c> (default) or <c>keep</c> its entry points on the copy (never a conference of the copy's own).</summary>
    [WireValues("drop", "keep")]
    public string? Conference { get; init { field = value; _given.Add(nameof(Conference)); } }

    /// <summary>Guests are never invited to a copy; <c>names</c> or <c>namesAndEmails</c> lists them at the end of its description. Default <c>none</c>.</summary>
    [WireValues("none", "names", "namesAndEmails")]
    public string? Attendees { get; init { field = value; _given.Add(nameof(Attendees)); } }

    /// <summary><c>keep</c> the origin's (default), the calendar's <c>default</c>, or <c>private</c>.</summary>
    [WireValues("keep", "default", "private")]
    public string? Visibility { get; init { field = value; _given.Add(nameof(Visibility)); } }

    /// <summary>Busy or free: <c>keep</c> the origin's (default), always <c>busy</c>, always <c>free</c>.</summary>
    [WireValues("keep", "busy", "free")]
    public string? ShowAs { get; init { field = value; _given.Add(nameof(ShowAs)); } }

    /// <summary><c>none</c> (default) or the target calendar's defaults (<c>calendarDefault</c>).</summary>
    [WireValues("none", "calendarDefault")]
    public string? Reminders { get; init { field = value; _given.Add(nameof(Reminders)); } }

    public bool Has(string member) => _given.Contains(member);
}
