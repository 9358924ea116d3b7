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

    public async Task<IActionResult> OnGetAsync(Guid id, Guid run, bool activate, CancellationToken cancellationToken)
    {
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
