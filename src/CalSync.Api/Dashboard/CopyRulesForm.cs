using System.Globalization;
using CalSync.Api.Syncs;
using CalSync.Engine.Sync;

namespace CalSync.Api.Dashboard;

/// <summary>
/// One direction's copy rules as the form posts them: selects carry the API's own wire values, keyword lists are
/// comma-separated text, working hours a switch with days, times and a zone. It becomes the API's
/// <see cref="CopyFilterBody"/> and <see cref="CopyLookBody"/> with every member given, so the API's checks judge it.
/// </summary>
public sealed class CopyRulesForm
{
    public static IReadOnlyList<string> WeekDays { get; } = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    public bool SkipDeclined { get; set; } = true;
    public string Tentative { get; set; } = "copy";
    public string NeedsAction { get; set; } = "copy";
    public string FreeEvents { get; set; } = "copy";
    public string AllDay { get; set; } = "all";
    public string OutOfOffice { get; set; } = "busy";
    public string FocusTime { get; set; } = "busy";
    public string WorkingLocation { get; set; } = "skip";
    public string Birthday { get; set; } = "skip";
    public string Include { get; set; } = "";
    public string Exclude { get; set; } = "";
    public bool MatchDescription { get; set; }
    public List<string> IncludeColors { get; set; } = [];
    public List<string> ExcludeColors { get; set; } = [];

    public bool WorkingHours { get; set; }

    // Offered when the switch is first turned on: the common office week.
    public List<string> Days { get; set; } = ["monday", "tuesday", "wednesday", "thursday", "friday"];
    public string From { get; set; } = "09:00";
    public string To { get; set; } = "17:00";

    /// <summary>Empty: the browser fills in the person's own zone (dashboard.js), else UTC.</summary>
    public string TimeZone { get; set; } = "";

    public string Title { get; set; } = "keep";
    public string TitleTemplate { get; set; } = CopyLook.Default.TitleTemplate;
    public string Description { get; set; } = "keep";
    public string Location { get; set; } = "keep";
    public string Conference { get; set; } = "drop";
    public string Attendees { get; set; } = "none";
    public string Visibility { get; set; } = "keep";
    public string ShowAs { get; set; } = "keep";
    public string Reminders { get; set; } = "none";

    /// <summary>The stored rules, spelled as the API replies them.</summary>
    public static CopyRulesForm Of(CopyStyle? style)
    {
        if (style is null)
        {
            return new CopyRulesForm();
        }
        var filter = CopyRuleChecks.ToBody(style.Filter);
        var look = CopyRuleChecks.ToBody(style.Look);
        var form = new CopyRulesForm
        {
            SkipDeclined = filter.SkipDeclined ?? true,
            Tentative = filter.Tentative!,
            NeedsAction = filter.NeedsAction!,
            FreeEvents = filter.FreeEvents!,
            AllDay = filter.AllDay!,
            OutOfOffice = filter.OutOfOffice!,
            FocusTime = filter.FocusTime!,
            WorkingLocation = filter.WorkingLocation!,
            Birthday = filter.Birthday!,
            Include = string.Join(", ", filter.Include ?? []),
            Exclude = string.Join(", ", filter.Exclude ?? []),
            MatchDescription = filter.MatchDescription ?? false,
            IncludeColors = [.. filter.IncludeColors ?? []],
            ExcludeColors = [.. filter.ExcludeColors ?? []],
            Title = look.Title!,
            TitleTemplate = look.TitleTemplate!,
            Description = look.Description!,
            Location = look.Location!,
            Conference = look.Conference!,
            Attendees = look.Attendees!,
            Visibility = look.Visibility!,
            ShowAs = look.ShowAs!,
            Reminders = look.Reminders!,
        };
        if (filter.WorkingHours is { } hours)
        {
            form.WorkingHours = true;
            form.Days = [.. hours.Days ?? []];
            form.From = hours.From!;
            form.To = hours.To!;
            form.TimeZone = hours.TimeZone!;
        }
        return form;
    }

    public CopyFilterBody ToFilter() => new()
    {
        SkipDeclined = SkipDeclined,
        Tentative = Tentative,
        NeedsAction = NeedsAction,
        FreeEvents = FreeEvents,
        AllDay = AllDay,
        WorkingHours = WorkingHours
            ? new WorkingHoursBody { Days = Days, From = Time(From), To = Time(To), TimeZone = string.IsNullOrWhiteSpace(TimeZone) ? "UTC" : TimeZone }
            : null,
        Include = Words(Include),
        Exclude = Words(Exclude),
        MatchDescription = MatchDescription,
        IncludeColors = IncludeColors,
        ExcludeColors = ExcludeColors,
        OutOfOffice = OutOfOffice,
        FocusTime = FocusTime,
        WorkingLocation = WorkingLocation,
        Birthday = Birthday,
    };

    public CopyLookBody ToLook() => new()
    {
        Title = Title,
        TitleTemplate = TitleTemplate,
        Description = Description,
        Location = Location,
        Conference = Conference,
        Attendees = Attendees,
        Visibility = Visibility,
        ShowAs = ShowAs,
        Reminders = Reminders,
    };

    /// <summary>Whether the filter (or look) says anything but the defaults: then its part of the form starts open.</summary>
    public bool FilterIsSet => Json(ToFilter()) != Json(Defaults.ToFilter());

    public bool LookIsSet => Json(ToLook()) != Json(Defaults.ToLook());

    private static readonly CopyRulesForm Defaults = new();

    private static string Json<T>(T body) => System.Text.Json.JsonSerializer.Serialize(body);

    /// <summary>Words separated by commas or new lines; blanks between separators are dropped, not errors.</summary>
    private static List<string> Words(string? text) =>
        [.. (text ?? "").Split([',', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    // A browser's time input may send seconds ("09:00:00"); the API reads HH:mm.
    private static string Time(string? value) =>
        TimeOnly.TryParse(value, CultureInfo.InvariantCulture, out var time) && time.Second == 0 && value!.Length == 8
            ? time.ToString("HH:mm", CultureInfo.InvariantCulture)
            : value ?? "";
}
