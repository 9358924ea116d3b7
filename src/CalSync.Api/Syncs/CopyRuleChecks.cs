using System.Globalization;
using System.Text.Json;
using CalSync.Engine.Sync;

namespace CalSync.Api.Syncs;

/// <summary>
/// Reads a direction's <c>filter</c> and <c>look</c> over the rules they change (the defaults for a create, the stored
/// rules for a patch), each bad member a field-named error; and shows stored rules as the Api spells them.
/// </summary>
public static class CopyRuleChecks
{
    public const int MaxWords = 50;
    public const int MaxWordLength = 100;
    public const int MaxTemplateLength = 200;

    // Google's event colour ids (colors.get: event palette).
    private static readonly string[] ColorIds = [.. Enumerable.Range(1, 11).Select(i => i.ToString(CultureInfo.InvariantCulture))];

    public static CopyFilter? Filter(string field, CopyFilterBody? body, CopyFilter current, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(errors);
        if (body is null)
        {
            return current;
        }
        var before = errors.Count;
        var f = $"{field}.filter.";
        var result = current with
        {
            SkipDeclined = body.Has(nameof(body.SkipDeclined)) ? body.SkipDeclined ?? true : current.SkipDeclined,
            Tentative = Choice(f + "tentative", body.Has(nameof(body.Tentative)), body.Tentative, current.Tentative, InvitationRule.Copy, errors),
            NeedsAction = Choice(f + "needsAction", body.Has(nameof(body.NeedsAction)), body.NeedsAction, current.NeedsAction, InvitationRule.Copy, errors),
            FreeEvents = Choice(f + "freeEvents", body.Has(nameof(body.FreeEvents)), body.FreeEvents, current.FreeEvents, FreeEventRule.Copy, errors),
            AllDay = Choice(f + "allDay", body.Has(nameof(body.AllDay)), body.AllDay, current.AllDay, AllDayRule.All, errors),
            WorkingHours = body.Has(nameof(body.WorkingHours)) ? Hours(f + "workingHours", body.WorkingHours, current.WorkingHours, errors) : current.WorkingHours,
            Include = body.Has(nameof(body.Include)) ? Words(f + "include", body.Include, errors) : current.Include,
            Exclude = body.Has(nameof(body.Exclude)) ? Words(f + "exclude", body.Exclude, errors) : current.Exclude,
            MatchDescription = body.Has(nameof(body.MatchDescription)) ? body.MatchDescription ?? false : current.MatchDescription,
            IncludeColors = body.Has(nameof(body.IncludeColors)) ? Colors(f + "includeColors", body.IncludeColors, errors) : current.IncludeColors,
            ExcludeColors = body.Has(nameof(body.ExcludeColors)) ? Colors(f + "excludeColors", body.ExcludeColors, errors) : current.ExcludeColors,
            OutOfOffice = Choice(f + "outOfOffice", body.Has(nameof(body.OutOfOffice)), body.OutOfOffice, current.OutOfOffice, BusyTypeRule.Busy, errors),
            FocusTime = Choice(f + "focusTime", body.Has(nameof(body.FocusTime)), body.FocusTime, current.FocusTime, BusyTypeRule.Busy, errors),
            WorkingLocation = Choice(f + "workingLocation", body.Has(nameof(body.WorkingLocation)), body.WorkingLocation, current.WorkingLocation, PersonalTypeRule.Skip, errors),
            Birthday = Choice(f + "birthday", body.Has(nameof(body.Birthday)), body.Birthday, current.Birthday, PersonalTypeRule.Skip, errors),
        };
        return errors.Count == before ? result : null;
    }

    public static CopyLook? Look(string field, CopyLookBody? body, CopyLook current, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(errors);
        if (body is null)
        {
            return current;
        }
        var before = errors.Count;
        var f = $"{field}.look.";
        var template = body.Has(nameof(body.TitleTemplate)) ? body.TitleTemplate ?? CopyLook.Default.TitleTemplate : current.TitleTemplate;
        if (string.IsNullOrWhiteSpace(template) || template.Length > MaxTemplateLength)
        {
            errors.Add(f + "titleTemplate", $"A title template has 1 to {MaxTemplateLength} characters and is not blank; {{title}}, {{calendar}} and {{account}} are filled in.");
        }
        // Checked as given only: a template stored before this check stays as it was through patches of other rules.
        else if (body.Has(nameof(body.TitleTemplate)) && CopyRules.UnknownPlaceholder(template) is { } unknown)
        {
            errors.Add(f + "titleTemplate", $"{unknown} is no placeholder: a title template fills in {{title}}, {{calendar}} and {{account}}.");
        }
        var result = current with
        {
            Title = Choice(f + "title", body.Has(nameof(body.Title)), body.Title, current.Title, TitleRule.Keep, errors),
            TitleTemplate = template ?? "",
            Description = Choice(f + "description", body.Has(nameof(body.Description)), body.Description, current.Description, FieldRule.Keep, errors),
            Location = Choice(f + "location", body.Has(nameof(body.Location)), body.Location, current.Location, FieldRule.Keep, errors),
            Conference = Choice(f + "conference", body.Has(nameof(body.Conference)), body.Conference, current.Conference, FieldRule.Drop, errors),
            Attendees = Choice(f + "attendees", body.Has(nameof(body.Attendees)), body.Attendees, current.Attendees, AttendeeRule.None, errors),
            Visibility = Choice(f + "visibility", body.Has(nameof(body.Visibility)), body.Visibility, current.Visibility, VisibilityRule.Keep, errors),
            ShowAs = Choice(f + "showAs", body.Has(nameof(body.ShowAs)), body.ShowAs, current.ShowAs, ShowAsRule.Keep, errors),
            Reminders = Choice(f + "reminders", body.Has(nameof(body.Reminders)), body.Reminders, current.Reminders, ReminderRule.None, errors),
        };
        return errors.Count == before ? result : null;
    }

    public static CopyFilterBody ToBody(CopyFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new()
        {
            SkipDeclined = filter.SkipDeclined,
            Tentative = Wire(filter.Tentative),
            NeedsAction = Wire(filter.NeedsAction),
            FreeEvents = Wire(filter.FreeEvents),
            AllDay = Wire(filter.AllDay),
            WorkingHours = filter.WorkingHours is { } hours
                ? new WorkingHoursBody
                {
                    Days = [.. hours.Days.Select(Wire)],
                    From = hours.From.ToString("HH:mm", CultureInfo.InvariantCulture),
                    To = hours.To.ToString("HH:mm", CultureInfo.InvariantCulture),
                    TimeZone = hours.TimeZone,
                }
                : null,
            Include = filter.Include,
            Exclude = filter.Exclude,
            MatchDescription = filter.MatchDescription,
            IncludeColors = filter.IncludeColors,
            ExcludeColors = filter.ExcludeColors,
            OutOfOffice = Wire(filter.OutOfOffice),
            FocusTime = Wire(filter.FocusTime),
            WorkingLocation = Wire(filter.WorkingLocation),
            Birthday = Wire(filter.Birthday),
        };
    }

    public static CopyLookBody ToBody(CopyLook look)
    {
        ArgumentNullException.ThrowIfNull(look);
        return new()
        {
            Title = Wire(look.Title),
            TitleTemplate = look.TitleTemplate,
            Description = Wire(look.Description),
            Location = Wire(look.Location),
            Conference = Wire(look.Conference),
            Attendees = Wire(look.Attendees),
            Visibility = Wire(look.Visibility),
            ShowAs = Wire(look.ShowAs),
            Reminders = Wire(look.Reminders),
        };
    }

    /// <summary>The wire name of a rule value: its name in camelCase (<c>busyOnly</c>, <c>calendarDefault</c>).</summary>
    private static string Wire<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static T Choice<T>(string field, bool given, string? value, T current, T fallback, FieldErrors errors) where T : struct, Enum
    {
        if (!given)
        {
            return current;
        }
        if (value is null)
        {
            return fallback;
        }
        foreach (var option in Enum.GetValues<T>())
        {
            if (Wire(option) == value)
            {
                return option;
            }
        }
        errors.Add(field, $"{field} is one of: {string.Join(", ", Enum.GetValues<T>().Select(Wire))}.");
        return current;
    }

    private static IReadOnlyList<string> Words(string field, IReadOnlyList<string>? words, FieldErrors errors)
    {
        if (words is null)
        {
            return [];
        }
        if (words.Count > MaxWords || words.Any(w => string.IsNullOrWhiteSpace(w) || w.Length > MaxWordLength))
        {
            errors.Add(field, $"Up to {MaxWords} words of 1 to {MaxWordLength} characters, none blank.");
        }
        return words;
    }

    private static IReadOnlyList<string> Colors(string field, IReadOnlyList<string>? colors, FieldErrors errors)
    {
        if (colors is null)
        {
            return [];
        }
        if (colors.Any(c => !ColorIds.Contains(c)))
        {
            errors.Add(field, "Google event colour ids, \"1\" to \"11\".");
        }
        return colors;
    }

    /// <summary>
    /// Working hours merged member by member into <paramref name="current"/> (a member left out keeps its value), then
    /// checked as a whole. With none stored there is nothing to keep: a member left out is missing.
    /// </summary>
    private static WorkingHours? Hours(string field, WorkingHoursBody? body, WorkingHours? current, FieldErrors errors)
    {
        if (body is null)
        {
            return null;
        }
        var days = body.Has(nameof(body.Days)) ? Days(field + ".days", body.Days, errors) : current?.Days ?? Missing<IReadOnlyList<DayOfWeek>>(field + ".days", "[\"monday\", \"friday\"]", errors);
        var from = body.Has(nameof(body.From)) ? Time(field + ".from", body.From, errors) : current?.From ?? Missing<TimeOnly?>(field + ".from", "\"09:00\"", errors);
        var to = body.Has(nameof(body.To)) ? Time(field + ".to", body.To, errors) : current?.To ?? Missing<TimeOnly?>(field + ".to", "\"17:30\"", errors);
        if (from is { } f && to is { } t && f >= t)
        {
            // Named after the member the request changed: a patch of only from that passes the stored to is from's fault.
            if (body.Has(nameof(body.From)) && !body.Has(nameof(body.To)))
            {
                errors.Add(field + ".from", "from must be earlier than to (working hours within one day).");
            }
            else
            {
                errors.Add(field + ".to", "to must be later than from (working hours within one day).");
            }
        }
        var zone = body.Has(nameof(body.TimeZone)) ? Zone(field + ".timeZone", body.TimeZone, errors) : current?.TimeZone ?? Missing<string>(field + ".timeZone", "\"Europe/Berlin\"", errors);
        return days is not null && from is { } start && to is { } finish && zone is not null ? new WorkingHours(days, start, finish, zone) : null;
    }

    private static T? Missing<T>(string field, string example, FieldErrors errors)
    {
        errors.Add(field, $"Required when a sync gets working hours (there are none yet to merge with), e.g. {example}.");
        return default;
    }

    private static List<DayOfWeek>? Days(string field, IReadOnlyList<string>? given, FieldErrors errors)
    {
        if (given is not { Count: > 0 })
        {
            errors.Add(field, "At least one day of the week, e.g. [\"monday\", \"friday\"].");
            return null;
        }
        var days = new List<DayOfWeek>();
        foreach (var day in given)
        {
            if (Enum.GetValues<DayOfWeek>().FirstOrDefault(d => Wire(d) == day) is var found && Wire(found) == day && !days.Contains(found))
            {
                days.Add(found);
            }
            else
            {
                errors.Add(field, "Days of the week, each once, in lower case: monday, tuesday, wednesday, thursday, friday, saturday, sunday.");
                return null;
            }
        }
        return days;
    }

    private static string? Zone(string field, string? value, FieldErrors errors)
    {
        // HasIanaId: on Linux a Windows name resolves too, but the contract is IANA names.
        if (string.IsNullOrWhiteSpace(value) || !TimeZoneInfo.TryFindSystemTimeZoneById(value, out var zone) || !zone.HasIanaId)
        {
            errors.Add(field, "An IANA time zone is required, e.g. \"Europe/Berlin\".");
            return null;
        }
        return value;
    }

    private static TimeOnly? Time(string field, string? value, FieldErrors errors)
    {
        if (value is not null && TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }
        errors.Add(field, "A time of day as HH:mm, e.g. \"09:00\".");
        return null;
    }
}
