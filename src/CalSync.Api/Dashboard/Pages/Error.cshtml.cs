using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CalSync.Api.Dashboard.Pages;

/// <summary>What went wrong, in words, for the status a dashboard address answered (see <see cref="ErrorPages"/>).</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    public string Title { get; private set; } = "";

    public string Explanation { get; private set; } = "";

    // Re-executed requests keep their method: a POST that failed shows the same page as a GET.
    public void OnGet(int status) => Describe(status);

    public void OnPost(int status) => Describe(status);

    private void Describe(int status)
    {
        Status = status is >= 400 and <= 599 ? status : StatusCodes.Status404NotFound;
        Response.StatusCode = Status;
        (Title, Explanation) = Status switch
        {
            StatusCodes.Status404NotFound => ("Page not found",
                "There is nothing at this address, or it belongs to someone else. It may have been deleted, or the link may be mistyped."),
            StatusCodes.Status429TooManyRequests when FromSignIn() => ("Too many sign-in attempts",
                $"Sign-ins from your address came more often than CalSync allows in a minute; try again in {Wait()}."),
            StatusCodes.Status429TooManyRequests => ("Too many requests",
                $"You asked for this more often than CalSync allows in a minute; try again in {Wait()}."),
            StatusCodes.Status403Forbidden => ("Not allowed", "You may not do this here."),
            StatusCodes.Status405MethodNotAllowed => ("Not possible here", "This address cannot be used that way."),
            >= 500 => ("Something went wrong",
                "CalSync could not finish this request. Nothing was lost that was saved before; try again in a moment. " +
                "If it keeps happening, the server's log says what failed."),
            _ => ("That did not work", ErrorPages.ProblemOf(HttpContext) ?? "CalSync could not handle this request as it was sent."),
        };
    }

    private bool FromSignIn() =>
        HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath is { } path
        && new PathString(path).StartsWithSegments("/auth", StringComparison.OrdinalIgnoreCase);

    /// <summary>The limiter's Retry-After in words (a minute when it gave none).</summary>
    private string Wait() =>
        int.TryParse(Response.Headers.RetryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? WaitInWords(seconds) : "a minute";

    private static string WaitInWords(int seconds) => seconds switch
    {
        1 => "1 second",
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds} seconds"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(seconds + 59) / 60} minutes"),
    };
}
