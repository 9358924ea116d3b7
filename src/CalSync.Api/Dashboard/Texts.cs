using CalSync.Engine.Runs;

namespace CalSync.Api.Dashboard;

/// <summary>The words the pages use for the API's values.</summary>
public static class Texts
{
    public static string Status(string status) => status switch
    {
        RunStatus.Queued => "Queued",
        RunStatus.Running => "Running",
        RunStatus.Succeeded => "Succeeded",
        RunStatus.Failed => "Failed",
        RunStatus.NeedsConfirmation => "Waiting for your confirmation",
        _ => status,
    };

    public static string Counts(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return $"{run.Created} created, {run.Updated} updated, {run.Deleted} deleted";
    }

    public static string Trigger(string trigger) => trigger switch
    {
        RunTrigger.Manual => "asked for",
        RunTrigger.Schedule => "on schedule",
        RunTrigger.Push => "after a change at Google",
        RunTrigger.Retry => "retry",
        _ => trigger,
    };

    public static string Action(string action) => action switch
    {
        "create" => "Created",
        "update" => "Updated",
        "delete" => "Deleted",
        "adopt" => "Adopted",
        "skip" => "Skipped",
        "conflict" => "Conflict",
        _ => action,
    };
}
