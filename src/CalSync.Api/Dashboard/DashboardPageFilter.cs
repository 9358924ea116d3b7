using CalSync.Api.Auth;
using CalSync.Api.Hosting;
using CalSync.Engine.Auth;
using CalSync.Engine.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace CalSync.Api.Dashboard;

/// <summary>Who is looking at a dashboard page, and their connected accounts (for the reconnect warning on every page).</summary>
public sealed record Viewer(User User, IReadOnlyList<GoogleAccount> Accounts)
{
    public IEnumerable<GoogleAccount> NeedingReconnect => Accounts.Where(a => a.NeedsReauthorization);
}

/// <summary>
/// Runs around every dashboard page: sets the Content-Security-Policy (no inline script or style, nothing from
/// elsewhere; forms may only post here, and on to Google's consent page for connecting accounts), sends a signed-out
/// visitor to sign in and back, and loads the <see cref="Viewer"/> the layout shows.
/// </summary>
public sealed class DashboardPageFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var google = http.RequestServices.GetRequiredService<IOptions<GoogleOAuthOptions>>().Value.AuthorizationEndpoint;
        http.Response.Headers.ContentSecurityPolicy =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
            $"form-action 'self' {google.GetLeftPart(UriPartial.Authority)}; frame-ancestors 'none'; base-uri 'none'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "same-origin";
        http.Response.Headers.CacheControl = "no-store";

        if (http.User.Identity?.IsAuthenticated == true)
        {
            var userId = http.User.GetUserId();
            var user = await http.RequestServices.GetRequiredService<UserStore>().GetAsync(userId, http.RequestAborted);
            if (user is not null)
            {
                var accounts = await http.RequestServices.GetRequiredService<GoogleAccountStore>().ListForUserAsync(userId, http.RequestAborted);
                http.Items[typeof(Viewer)] = new Viewer(user, accounts);
            }
        }
        // The REST API refuses such text as it reads a body; forms and query strings get the same rule here, so a
        // NUL typed into a name is a 400 rather than a 500 from PostgreSQL.
        if (await FirstUnplainFieldAsync(http.Request) is { } field)
        {
            var problem = $"The field '{field}' holds a character it may not. {PlainText.Rule}";
            // A browser reads it on the 400 page in the dashboard's layout; anything else gets the sentence alone.
            context.Result = ErrorPages.WantsPage(http) ? ErrorPages.BadRequest(http, problem) : new BadRequestObjectResult(problem);
            return;
        }
        var anonymousAllowed = context.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any();
        if (!anonymousAllowed && !http.Items.ContainsKey(typeof(Viewer)))
        {
            string returnTo = http.Request.Method == HttpMethods.Get ? (http.Request.Path + http.Request.QueryString).ToString() : http.Request.Path.ToString();
            context.Result = new RedirectResult("/auth/login?returnTo=" + Uri.EscapeDataString(returnTo));
            return;
        }
        await next();
    }

    private static async Task<string?> FirstUnplainFieldAsync(HttpRequest request)
    {
        foreach (var (key, values) in request.Query)
        {
            if (!PlainText.IsPlain(key) || values.Any(v => !PlainText.IsPlain(v)))
            {
                return PlainText.IsPlain(key) ? key : "query";
            }
        }
        if (request.HasFormContentType)
        {
            foreach (var (key, values) in await request.ReadFormAsync(request.HttpContext.RequestAborted))
            {
                if (!PlainText.IsPlain(key) || values.Any(v => !PlainText.IsPlain(v)))
                {
                    return PlainText.IsPlain(key) ? key : "form";
                }
            }
        }
        return null;
    }
}
