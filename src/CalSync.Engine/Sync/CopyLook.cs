namespace CalSync.Engine.Sync;

/// <summary>A copy's title: the origin's, the direction's placeholder, or a template.</summary>
public enum TitleRule
{
    Keep,
    Placeholder,
    /// <summary><see cref="CopyLook.TitleTemplate"/> with <c>{title}</c>, <c>{calendar}</c> and <c>{account}</c> filled in.</summary>
    Template,
}

/// <summary>A text field of the origin on its copy: kept or dropped.</summary>
public enum FieldRule
{
    Keep,
    Drop,
}

/// <summary>Guests are never invited to a copy; they can be listed as text at the end of its description.</summary>
public enum AttendeeRule
{
    None,
    Names,
    NamesAndEmails,
}

public enum VisibilityRule
{
    /// <summary>As the origin's.</summary>
    Keep,
    /// <summary>The calendar's default visibility.</summary>
    Default,
    Private,
}

public enum ShowAsRule
{
    /// <summary>Busy or free as the origin (out-of-office and focus time: busy).</summary>
    Keep,
    Busy,
    Free,
}

public enum ReminderRule
{
    None,
    /// <summary>The target calendar's default reminders.</summary>
    CalendarDefault,
}

/// <summary>How a copy looks in one direction, field by field; the defaults are what CalSync always did.</summary>
public sealed record CopyLook
{
    public static CopyLook Default { get; } = new();

    public TitleRule Title { get; init; } = TitleRule.Keep;

    public string TitleTemplate { get; init; } = "{title}";

    public FieldRule Description { get; init; } = FieldRule.Keep;

    public FieldRule Location { get; init; } = FieldRule.Keep;

    /// <summary>The conference (a Meet link, dial-in numbers): dropped unless kept, as copies never carried one before.</summary>
    public FieldRule Conference { get; init; } = FieldRule.Drop;

    public AttendeeRule Attendees { get; init; } = AttendeeRule.None;

    public VisibilityRule Visibility { get; init; } = VisibilityRule.Keep;

    public ShowAsRule ShowAs { get; init; } = ShowAsRule.Keep;

    public ReminderRule Reminders { get; init; } = ReminderRule.None;

    /// <summary>Privacy mode as a preset over the look: the placeholder for a title, no text, private; times and busy/free stay.</summary>
    public CopyLook WithPrivacy() => this with
    {
        Title = TitleRule.Placeholder,
        Description = FieldRule.Drop,
        Location = FieldRule.Drop,
        Conference = FieldRule.Drop,
        Attendees = AttendeeRule.None,
        Visibility = VisibilityRule.Private,
    };
}
