using CalSync.Api.Runs;
using CalSync.Api.Syncs;
using CalSync.Engine.Runs;
using CalSync.Engine.Sync;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CalSync.Api.Dashboard.Pages.Syncs;

/// <summary>
/// The dry run of a new sync (saved paused): what its first run would do. Save switches it on as the form asked;
/// Discard deletes it (a dry run made no copies, so none are left behind).
/// </summary>
public sealed class PreviewModel(SyncStore syncs, RunHistory history, IOptions<ScheduleRuleOptions> rules, TimeProvider time) : DashboardPage
{
    public SyncRecord Sync { get; private set; } = null!;
    public RunPanel? Panel { get; private set; }
    public bool Activate { get; private set; }

    /// <summary>A preview of changed settings (already saved, paused), not of a new sync.</summary>
    public bool Edit { get; private set; }

    /// <summary>The earlier settings are known, so the changes can be undone.</summary>
    public bool CanUndo { get; private set; }

    public static string UndoKey(Guid syncId) => $"undo:{syncId:N}";

    public async Task<IActionResult> OnGetAsync(Guid id, Guid run, bool activate, bool edit, CancellationToken cancellationToken)
    {
        Edit = edit;
        CanUndo = edit && TempData.Peek(UndoKey(id)) is string;
        if (await syncs.GetAsync(UserId, id, cancellationToken) is not { } sync)
        {
            return NotFound();
        }
        Sync = sync;
        Activate = activate;
        Panel = await RunPanel.LoadAsync(history, syncs, UserId, run, 0, cancellationToken);
        return Panel?.Run.SyncId == id ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid id, bool activate, CancellationToken cancellationToken)
    {
        var edit = await syncs.UpdateAsync(
            UserId, id, current => SyncPatching.Apply(current, new SyncPatch { Active = activate }, time.GetUtcNow(), rules.Value.MinimumInterval, new FieldErrors()), cancellationToken);
        if (edit.Sync is not { } saved)
        {
            return NotFound();
        }
        Notice = $"“{saved.Settings.Name}” is saved.";
        return Redirect("/syncs");
    }

    /// <summary>Puts the settings back as they were before the previewed edit (they go through the same rules).</summary>
    public async Task<IActionResult> OnPostUndoAsync(Guid id, CancellationToken cancellationToken)
    {
        if (TempData[UndoKey(id)] is not string json || System.Text.Json.JsonSerializer.Deserialize<SyncForm>(json) is not { } before)
        {
            Notice = "The earlier settings are no longer known: the sync keeps the new ones and stays paused.";
            return Redirect($"/syncs/{id}/edit");
        }
        var errors = new FieldErrors();
        var edit = await syncs.UpdateAsync(UserId, id, current =>
        {
            var readErrors = new FieldErrors();
            var patch = before.ToPatch(current.Settings.Direction == SyncRules.TwoWay, readErrors);
            return readErrors.Any ? null : SyncPatching.Apply(current, patch, time.GetUtcNow(), rules.Value.MinimumInterval, errors);
        }, cancellationToken);
        if (edit.Sync is not { } restored)
        {
            return edit.Refused ? Redirect($"/syncs/{id}/edit") : NotFound();
        }
        Notice = $"The changes to “{restored.Settings.Name}” were undone.";
        return Redirect("/syncs");
    }

    public async Task<IActionResult> OnPostDiscardAsync(Guid id, [FromServices] SyncDeletion deletion, [FromServices] RunRequester runs, CancellationToken cancellationToken)
    {
        var result = await SyncDeleteHandler.DeleteAsync(id, removeCopies: false, User, deletion, runs, cancellationToken);
        if (result.Result is Microsoft.AspNetCore.Http.HttpResults.NotFound)
        {
            return NotFound();
        }
        Notice = "The new sync was discarded.";
        return Redirect("/syncs");
    }
}
