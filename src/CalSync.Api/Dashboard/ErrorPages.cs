using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CalSync.Api.Dashboard;

/// <summary>
/// A person in a browser who meets a missing page, a rate limit or a fault gets a page in words in the dashboard's
/// layout (the Error page), with the status code kept. The REST API and the machine paths keep their problem
/// details, whatever a client accepts.
/// </summary>
public static partial class ErrorPages
{
    // The key under which a refusing page leaves its reason for the 400 page (the same request, re-executed).
    private static readonly object ProblemKey = new();

    private static readonly string[] MachinePaths = ["/api", "/auth", "/health", "/openapi", "/docs", "/webhooks", "/metrics", "/dashboard"];

    /// <summary>
    /// Call after the general exception handler and status code pages, so this one is nearer the endpoints and answers
    /// first. Re-executing to the Error page must happen on the app itself (a branch would lose the routes).
    /// </summary>
    public static WebApplication UseDashboardErrorPages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorPages).FullName!);
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.Use(async (http, next) =>
        {
            if (!WantsPage(http))
            {
                // Left to the general status code pages: problem details.
                var pages = http.Features.Get<IStatusCodePagesFeature>()!;
                pages.Enabled = false;
                await next(http);
                // Except a browser stopped by sign-in's limit (which writes no body then): a person reads why, and how long to wait.
                pages.Enabled = http.Response.StatusCode == StatusCodes.Status429TooManyRequests && WantsLimitPage(http);
                return;
            }
            try
            {
                await next(http);
            }
            catch (Exception ex) when (!http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
            {
                // The status code page above renders the words; a request that could not be read stays a 4xx.
                LogFailed(logger, ex, http.Request.Method, http.Request.Path);
                http.Response.Clear();
                http.Response.StatusCode = ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
            }
        });
        return app;
    }

    /// <summary>A browser navigating to a dashboard address (not the REST API, sign-in, health, docs, webhooks or static files).</summary>
    public static bool WantsPage(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var path = http.Request.Path;
        return !MachinePaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)) && AcceptsHtml(http);
    }

    /// <summary>
    /// A browser met a rate limit where it should read a page: a dashboard address, or sign-in, which people reach by
    /// navigating (sign-in's other answers stay problem details: its failures name OAuth's reasons).
    /// </summary>
    public static bool WantsLimitPage(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return WantsPage(http) || (http.Request.Path.StartsWithSegments("/auth", StringComparison.OrdinalIgnoreCase) && AcceptsHtml(http));
    }

    /// <summary>A 400 whose page in words says <paramref name="problem"/> (the re-executed error page reads it back).</summary>
    public static IActionResult BadRequest(HttpContext http, string problem)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Items[ProblemKey] = problem;
        return new StatusCodeResult(StatusCodes.Status400BadRequest);
    }

    /// <summary>What a 400 page says about the request, when the page that refused it knew.</summary>
    public static string? ProblemOf(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items[ProblemKey] as string;
    }

    private static bool AcceptsHtml(HttpContext http) =>
        http.Request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    [LoggerMessage(Level = LogLevel.Error, Message = "A dashboard request failed: {Method} {Path}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, PathString path);
}
