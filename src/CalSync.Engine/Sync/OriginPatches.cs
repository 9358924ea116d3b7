using CalSync.Engine.Google;
using CalSync.Engine.Google.Models;

namespace CalSync.Engine.Sync;

/// <summary>The smallest patch that turns an origin into its merged state: only the content fields that differ.</summary>
public static class OriginPatches
{
    public static EventPatch? Between(GoogleEvent current, GoogleEvent merged)
    {
        var (before, after) = (EventContent.Of(current), EventContent.Of(merged));
        var clear = new List<string>();
        var changes = new GoogleEvent
        {
            Summary = Field(before.Summary, after.Summary, "summary", clear),
            Description = Field(before.Description, after.Description, "description", clear),
            Location = Field(before.Location, after.Location, "location", clear),
            Transparency = Field(before.Transparency, after.Transparency, "transparency", clear),
            Visibility = Field(before.Visibility, after.Visibility, "visibility", clear),
            Status = before.Status == after.Status ? null : after.Status,
        };
        // Start and end travel together: Google validates them as a pair. (EventDateTime compares
        // DateTimeOffsets as instants, so a different offset for the same moment is no change.)
        if (before.Start != after.Start || before.End != after.End)
        {
            changes = changes with { Start = merged.Start, End = merged.End };
        }
        var changed = changes != new GoogleEvent() || clear.Count > 0;
        return changed ? new EventPatch { Changes = changes, Clear = clear } : null;
    }

    private static string? Field(string? before, string? after, string name, List<string> clear)
    {
        if (before == after)
        {
            return null;
        }
        if (after is null)
        {
            clear.Add(name);
        }
        return after;
    }
}
