using CalSync.Api.Syncs;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CalSync.Api.Dashboard;

/// <summary>A signed-in dashboard page: the viewer the page filter loaded, and the API's validation errors to show.</summary>
public abstract class DashboardPage : PageModel
{
    public Viewer Viewer => (Viewer)HttpContext.Items[typeof(Viewer)]!;

    public Guid UserId => Viewer.User.Id;

    /// <summary>Validation errors by the API's field path (<c>source.calendarId</c>).</summary>
    public IDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>A short notice for the top of the page (what just happened, or why it could not).</summary>
    [Microsoft.AspNetCore.Mvc.TempData]
    public string? Notice { get; set; }

    protected void ShowErrors(FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        Errors = errors.ToProblem().ProblemDetails.Errors;
    }

    /// <summary>The messages for a field and the fields under it (<c>source</c> covers <c>source.calendarId</c>).</summary>
    public IReadOnlyList<string> ErrorsFor(params string[] fields) =>
        [.. Errors.Where(e => fields.Any(f => e.Key == f || e.Key.StartsWith(f + ".", StringComparison.Ordinal))).SelectMany(e => e.Value)];
}
