using CalSync.Engine.Sync;
using CsCheck;

namespace CalSync.Engine.Tests.Sync.ModelBased;

/// <summary>What kind of event a person creates.</summary>
public enum EventKind
{
    Timed,
    AllDay,
    Recurring,
    /// <summary>An out-of-office event: copied as busy, and its copy is read-only in a two-way sync.</summary>
    OutOfOffice,
}

/// <summary>A fault injected into one sync.</summary>
public enum Fault
{
    None,
    /// <summary>The process dies after Google accepted the writes, before any link is stored.</summary>
    CrashAfterWrites,
    /// <summary>Google expires the source's sync token (410 on the next incremental listing).</summary>
    ExpireToken,
    /// <summary>Someone edits a target event between the run's read and its write (412 on If-Match).</summary>
    Race,
    /// <summary>Google keeps answering 429 until the client's retry budget runs out: the run fails, retryably.</summary>
    RateLimited,
}

/// <summary>One step of a generated scenario: a person's edit, or a sync.</summary>
public abstract record ScenarioStep;

/// <summary>A person's new event; <paramref name="Text"/> is appended to its title and description (control characters and the like).</summary>
public sealed record CreateEvent(Side Side, EventKind Kind, int Day, int Hour, string Text = "") : ScenarioStep;

public sealed record EditEvent(Side Side, int Pick, int DayShift) : ScenarioStep;

public sealed record DeleteEvent(Side Side, int Pick) : ScenarioStep;

public sealed record EditCopy(Side Side, int Pick) : ScenarioStep;

public sealed record DeleteCopy(Side Side, int Pick) : ScenarioStep;

public sealed record ChangeInstance(int Pick, bool Cancel) : ScenarioStep;

public sealed record RunSync(Fault Fault) : ScenarioStep;

/// <summary>The person changes how copies of <paramref name="OriginSide"/>'s events look.</summary>
public sealed record ChangeStyle(Side OriginSide, bool Privacy, string? ColorId) : ScenarioStep;

/// <summary>The person changes the copy rules of <paramref name="OriginSide"/>'s events: which are copied and how copies look.</summary>
public sealed record ChangeRules(Side OriginSide, CopyFilter Filter, CopyLook Look) : ScenarioStep
{
    public override string ToString() => $"ChangeRules {{ OriginSide = {OriginSide}, Filter = {RuleJson.Canonical(Filter)}, Look = {RuleJson.Canonical(Look)} }}";
}

/// <summary>
/// The person changes only what becomes of out-of-office events (busy, their own type, or skipped): the rule change
/// that replaces copies, as Google never changes an event's type.
/// </summary>
public sealed record ChangeOutOfOffice(Side OriginSide, BusyTypeRule Rule) : ScenarioStep;

/// <summary>The person on <paramref name="Side"/> changes only the settings of one of their out-of-office events: whether it declines, and its message.</summary>
public sealed record EditSettings(Side Side, int Pick, bool Declines) : ScenarioStep;

/// <summary>The person on <paramref name="Side"/> answers one of their invitations.</summary>
public sealed record Answer(Side Side, int Pick, string Response) : ScenarioStep;

/// <summary>The person changes how far ahead the sync copies.</summary>
public sealed record ChangeWindow(int FutureDays) : ScenarioStep;

/// <summary>Someone else invites the person on <paramref name="Side"/> to a meeting they organise.</summary>
public sealed record Invite(Side Side, int Day, int Hour) : ScenarioStep;

/// <summary>Someone who can write to a calendar plants a copy's marker on an event of their own.</summary>
public sealed record PlantImpostor(Side Side, int Pick) : ScenarioStep;

/// <summary>A whole scenario: a sync's shape, its first copy rules per direction, and the steps, always ending with a clean sync.</summary>
public sealed record GeneratedScenario(SyncDirection Direction, ConflictPolicy Policy, bool Privacy, ChangeRules RulesA, ChangeRules RulesB, IReadOnlyList<ScenarioStep> Steps)
{
    public override string ToString() => $"{Direction} {Policy} privacy={Privacy} {RulesA} {RulesB}: {string.Join(", ", Steps)}";
}

public static class ScenarioGen
{
    private static readonly Gen<Side> Sides = Gen.Enum<Side>();

    // Days well inside or well beyond a 30-day window (never on its edge), so the model needs no tie-breaks.
    private static readonly Gen<int> Days = Gen.Frequency((3, Gen.Int[2, 20]), (1, Gen.Int[40, 60]));

    private static readonly Gen<string> Texts = Gen.Frequency(
        (6, Gen.Const("")),
        (1, Gen.OneOf(" \u0000 nul", " \u0007\u001b\u0008", " \u202Eevil", " 😀 e\u0301", " <b>x</b>'\"; drop table events", " \r\n\t tabs")));

    private static readonly Gen<WorkingHours?> Hours = Gen.Frequency(
        (2, Gen.Const(default(WorkingHours))),
        (1, Gen.Select(Gen.Int[1, 127], Gen.Int[6, 12], Gen.Int[13, 20], Gen.OneOf("Europe/Berlin", "America/New_York", "Asia/Tokyo"),
            (days, from, to, zone) => (WorkingHours?)new WorkingHours(
                [.. Enum.GetValues<DayOfWeek>().Where(d => (days & (1 << (int)d)) != 0)], new TimeOnly(from, 0), new TimeOnly(to, 0), zone))));

    // Titles are "<Kind> <n>", "edit <n>", "copy edit <n>", "invitation <n>": these words split them.
    private static readonly Gen<IReadOnlyList<string>> Words = Gen.OneOf<IReadOnlyList<string>>([], ["EDIT"], ["timed", "invitation"], ["AllDay"]);

    private static readonly Gen<CopyFilter> Filters = Gen.Select(
        Gen.Select(Gen.Bool, Gen.Enum<InvitationRule>(), Gen.Enum<InvitationRule>(), Gen.Enum<FreeEventRule>(), Gen.Enum<AllDayRule>(),
            (declined, tentative, needsAction, free, allDay) => (declined, tentative, needsAction, free, allDay)),
        Hours, Words, Words, Gen.Enum<BusyTypeRule>(),
        (a, hours, include, exclude, outOfOffice) => new CopyFilter
        {
            SkipDeclined = a.declined, Tentative = a.tentative, NeedsAction = a.needsAction, FreeEvents = a.free, AllDay = a.allDay,
            WorkingHours = hours, Include = include, Exclude = exclude, OutOfOffice = outOfOffice,
        });

    private static readonly Gen<CopyLook> Looks = Gen.Select(
        Gen.Enum<TitleRule>(), Gen.Enum<FieldRule>(), Gen.Enum<FieldRule>(), Gen.Enum<VisibilityRule>(), Gen.Enum<ShowAsRule>(), Gen.Enum<ReminderRule>(),
        (title, description, location, visibility, showAs, reminders) => new CopyLook
        {
            Title = title, TitleTemplate = "[{title}]", Description = description, Location = location, Visibility = visibility, ShowAs = showAs, Reminders = reminders,
        });

    private static readonly Gen<ScenarioStep> Steps = Gen.Frequency(
        (6, Gen.Select(Sides, Gen.Enum<EventKind>(), Days, Gen.Int[7, 18], Texts, (s, k, d, h, t) => (ScenarioStep)new CreateEvent(s, k, d, h, t))),
        (3, Gen.Select(Sides, Gen.Int[0, 50], Gen.Int[0, 3], (s, p, d) => (ScenarioStep)new EditEvent(s, p, d))),
        (2, Gen.Select(Sides, Gen.Int[0, 50], (s, p) => (ScenarioStep)new DeleteEvent(s, p))),
        (2, Gen.Select(Sides, Gen.Int[0, 50], (s, p) => (ScenarioStep)new EditCopy(s, p))),
        (2, Gen.Select(Sides, Gen.Int[0, 50], (s, p) => (ScenarioStep)new DeleteCopy(s, p))),
        (2, Gen.Select(Gen.Int[0, 50], Gen.Bool, (p, c) => (ScenarioStep)new ChangeInstance(p, c))),
        (4, Gen.Frequency(
            (5, Gen.Const(Fault.None)),
            (1, Gen.Const(Fault.CrashAfterWrites)),
            (1, Gen.Const(Fault.ExpireToken)),
            (1, Gen.Const(Fault.Race)),
            (1, Gen.Const(Fault.RateLimited))).Select(f => (ScenarioStep)new RunSync(f))),
        (1, Gen.Select(Sides, Gen.Bool, Gen.OneOf<string?>(null, "3", "11"), (s, p, c) => (ScenarioStep)new ChangeStyle(s, p, c))),
        (1, Gen.OneOf(30, 90).Select(d => (ScenarioStep)new ChangeWindow(d))),
        (3, Gen.Select(Sides, Filters, Looks, (s, f, l) => (ScenarioStep)new ChangeRules(s, f, l))),
        (2, Gen.Select(Sides, Gen.Enum<BusyTypeRule>(), (s, r) => (ScenarioStep)new ChangeOutOfOffice(s, r))),
        (2, Gen.Select(Sides, Gen.Int[0, 50], Gen.OneOf("accepted", "declined", "tentative"), (s, p, r) => (ScenarioStep)new Answer(s, p, r))),
        (1, Gen.Select(Sides, Gen.Int[0, 50], (s, p) => (ScenarioStep)new PlantImpostor(s, p))),
        (2, Gen.Select(Sides, Days, Gen.Int[7, 18], (s, d, h) => (ScenarioStep)new Invite(s, d, h))),
        (2, Gen.Select(Sides, Gen.Int[0, 50], Gen.Bool, (s, p, d) => (ScenarioStep)new EditSettings(s, p, d))));

    // A third of the scenarios keep the default rules, as most syncs do.
    private static Gen<ChangeRules> FirstRules(Side side) => Gen.Frequency(
        (1, Gen.Const(new ChangeRules(side, CopyFilter.Default, CopyLook.Default))),
        (2, Gen.Select(Filters, Looks, (f, l) => new ChangeRules(side, f, l))));

    public static readonly Gen<GeneratedScenario> Scenarios = Gen.Select(
        Gen.Enum<SyncDirection>(),
        Gen.Enum<ConflictPolicy>(),
        Gen.Bool,
        FirstRules(Side.A),
        FirstRules(Side.B),
        Steps.List[1, 8],
        (direction, policy, privacy, a, b, steps) => new GeneratedScenario(direction, policy, privacy, a, b, [.. steps, new RunSync(Fault.None)]));
}
