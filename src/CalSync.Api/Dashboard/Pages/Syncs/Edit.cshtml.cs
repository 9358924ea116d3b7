using CalSync.Api.Runs;
using CalSync.Api.Syncs;
using CalSync.Engine.Runs;
using CalSync.Engine.Sync;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CalSync.Api.Dashboard.Pages.Syncs;

/// <summary>
/// Creating (<c>/syncs/new</c>) and editing a sync. The form becomes the REST API's body or merge patch and goes
/// through the same rules, Google check and store as <c>POST</c>/<c>PATCH /api/syncs</c>. Preview saves the new sync
/// paused and asks for a dry run; the preview page then saves it for real or discards it.
/// </summary>
public sealed class EditModel(
    SyncStore syncs, SyncCalendarCheck calendarCheck, SyncPickers pickers, RunRequester requester, IOptions<ScheduleRuleOptions> rules, TimeProvider time) : DashboardPage
{
    public static IReadOnlyList<string> TimeZones { get; } =
        [.. TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId).Select(z => z.Id).Order(StringComparer.Ordinal)];

    [BindProperty]
    public SyncForm Form { get; set; } = new();

    /// <summary>The sync being edited; null on <c>/syncs/new</c>.</summary>
    public SyncRecord? Existing { get; private set; }

    public IReadOnlyList<AccountChoices> Choices { get; private set; } = [];

    public IReadOnlyList<DateTimeOffset> FireTimes { get; private set; } = [];

    /// <summary>Google could not be asked about the calendars: nothing was saved.</summary>
    public string? Unavailable { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (Existing is not null)
        {
            Form = SyncForm.From(Existing);
            ShowFireTimes(new FieldErrors());
        }
        return Page();
    }

    public Task<IActionResult> OnPostAsync(Guid? id, CancellationToken cancellationToken) => SaveAsync(id, preview: false, cancellationToken);

    public Task<IActionResult> OnPostPreviewAsync(Guid? id, CancellationToken cancellationToken) => SaveAsync(id, preview: true, cancellationToken);

    /// <summary>"Show next runs": checks the schedule alone and lists when it would fire.</summary>
    public async Task<IActionResult> OnPostTimesAsync(Guid? id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var errors = new FieldErrors();
        ShowFireTimes(errors);
        ShowErrors(errors);
        return Page();
    }

    private async Task<IActionResult> SaveAsync(Guid? id, bool preview, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var errors = new FieldErrors();
        if (Existing is { } existing)
        {
            var readErrors = new FieldErrors();
            var patch = Form.ToPatch(existing.Settings.Direction == SyncRules.TwoWay, readErrors, preview);
            SyncForm? before = null;
            var editErrors = new FieldErrors();
            var edit = await syncs.UpdateAsync(UserId, existing.Id, current =>
            {
                before = SyncForm.From(current);
                var settings = SyncPatching.Apply(current, patch, time.GetUtcNow(), rules.Value.MinimumInterval, editErrors);
                Copy(readErrors, editErrors);
                return readErrors.Any ? null : settings;
            }, cancellationToken);
            if (edit.Sync is { } saved)
            {
                if (preview)
                {
                    // What Undo on the preview page puts back: the settings as they were, in the form's own words.
                    TempData[PreviewModel.UndoKey(saved.Id)] = System.Text.Json.JsonSerializer.Serialize(before);
                    var dryRun = await requester.RequestAsync(saved.Id, RunTrigger.Manual, fullResync: false, dryRun: true, cancellationToken);
                    return Redirect($"/syncs/{saved.Id}/preview?run={dryRun.Id}&activate={(Form.Active ? "true" : "false")}&edit=true");
                }
                Notice = $"“{saved.Settings.Name}” is saved.";
                return Redirect("/syncs");
            }
            return Invalid(edit.Refused ? editErrors : errors);
        }

        var body = Form.ToBody(errors);
        var settingsToSave = SyncRules.Check(preview ? body with { Active = false } : body, time.GetUtcNow(), rules.Value.MinimumInterval, errors);
        if (settingsToSave is null || errors.Any)
        {
            return Invalid(errors);
        }
        var checkedCalendars = await calendarCheck.CheckAsync(UserId, settingsToSave, errors, cancellationToken);
        if (checkedCalendars.Unavailable is { } unavailable)
        {
            Unavailable = unavailable;
            return Invalid(errors);
        }
        if (checkedCalendars.Settings is null)
        {
            return Invalid(errors);
        }
        var (sync, goneAccountField) = await syncs.CreateAsync(UserId, checkedCalendars.Settings, cancellationToken);
        if (sync is null)
        {
            errors.Add(goneAccountField!, "This account was disconnected meanwhile.");
            return Invalid(errors);
        }
        if (!preview)
        {
            Notice = $"“{sync.Settings.Name}” is saved.";
            return Redirect("/syncs");
        }
        var run = await requester.RequestAsync(sync.Id, RunTrigger.Manual, fullResync: false, dryRun: true, cancellationToken);
        return Redirect($"/syncs/{sync.Id}/preview?run={run.Id}&activate={(Form.Active ? "true" : "false")}");
    }

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult Invalid(FieldErrors errors)
    {
        ShowFireTimes(new FieldErrors());
        ShowErrors(errors);
        // A picker left empty is reported twice by the rules (the object and its id); the id's words are the clearer.
        foreach (var side in new[] { "source", "target" })
        {
            if (Errors.ContainsKey($"{side}.calendarId"))
            {
                Errors.Remove(side);
            }
        }
        return Page();
    }

    private void ShowFireTimes(FieldErrors errors)
    {
        var scheduleErrors = new FieldErrors();
        if (Form.Schedule.ToBody(scheduleErrors) is { } body && CronSchedules.Check(body, time.GetUtcNow(), rules.Value.MinimumInterval, scheduleErrors) is { } schedule)
        {
            FireTimes = ScheduleChoice.NextFireTimes(schedule, time.GetUtcNow(), 3);
        }
        Copy(scheduleErrors, errors);
    }

    private static void Copy(FieldErrors from, FieldErrors to)
    {
        if (!from.Any)
        {
            return;
        }
        foreach (var (field, messages) in from.ToProblem().ProblemDetails.Errors)
        {
            foreach (var message in messages)
            {
                to.Add(field, message);
            }
        }
    }

    private async Task<bool> LoadAsync(Guid? id, CancellationToken cancellationToken)
    {
        if (id is { } syncId)
        {
            Existing = await syncs.GetAsync(UserId, syncId, cancellationToken);
            return Existing is not null;
        }
        Choices = await pickers.ListAsync(Viewer, cancellationToken);
        return true;
    }

    /// <summary>Errors for fields this form does not show (say, the fixed calendars of a sync being edited): listed at the top.</summary>
    public IEnumerable<string> UnplacedErrors
    {
        get
        {
            string[] shown = Existing is null
                ? ["name", "source", "target", "direction", "pastDays", "futureDays", "copyToTarget", "copyToSource", "conflictPolicy", "schedule"]
                : ["name", "pastDays", "futureDays", "copyToTarget", "copyToSource", "conflictPolicy", "schedule"];
            return Errors.Where(e => !shown.Any(f => e.Key == f || e.Key.StartsWith(f + ".", StringComparison.Ordinal))).SelectMany(e => e.Value);
        }
    }

    public string CalendarLabel(Guid accountId, string calendarId) =>
        Viewer.Accounts.FirstOrDefault(a => a.Id == accountId)?.Email is { } email
            ? email == calendarId ? $"{email} (main calendar)" : $"{email} · {calendarId}"
            : "a removed account";
}
