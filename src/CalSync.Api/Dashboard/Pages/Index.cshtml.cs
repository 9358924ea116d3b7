using CalSync.Api.Auth;
using CalSync.Engine.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CalSync.Api.Dashboard.Pages;

/// <summary>The landing page: sign in (or, signed in, straight on to the syncs); and signing out.</summary>
[AllowAnonymous]
public sealed class IndexModel : PageModel
{
    public string ReturnTo { get; private set; } = "/syncs";

    public IActionResult OnGet(string? returnTo)
    {
        ReturnTo = SignInFlow.SafeReturnTo(returnTo, "/syncs");
        return HttpContext.Items.ContainsKey(typeof(Viewer)) ? Redirect(ReturnTo) : Page();
    }

    public async Task<IActionResult> OnPostSignOutAsync([FromServices] SessionStore sessions, CancellationToken cancellationToken)
    {
        if (Request.Cookies[CalSyncAuthentication.SessionCookie] is { Length: > 0 } secret)
        {
            await sessions.DeleteAsync(secret, cancellationToken);
        }
        Response.Cookies.Delete(CalSyncAuthentication.SessionCookie, new CookieOptions { Path = "/" });
        return Redirect("/");
    }
}
