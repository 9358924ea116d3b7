namespace CalSync.Api.Hosting;

public static class SecrecyExtensions
{
    /// <summary>
    /// Log categories that write a request's full URL: the hosting log's "Request starting/finished" (the callback's
    /// <c>?state=…&amp;code=…</c>) and the redirect results (Google's URL with the <c>state</c>). Kept at Warning whatever
    /// the configuration says, so turning the framework's logs up to find a problem does not write OAuth secrets.
    /// </summary>
    private static readonly string[] UrlLoggingCategories =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        "Microsoft.AspNetCore.Http.Result",
        "Microsoft.AspNetCore.Http.HttpResults",
    ];

    public static IHostApplicationBuilder AddApiLogSecrecy(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var category in UrlLoggingCategories)
        {
            // Added after the configuration's rules, so it wins over a configured rule for the same category.
            builder.Logging.AddFilter(category, LogLevel.Warning);
        }
        return builder;
    }

    /// <summary>
    /// <c>Cache-Control: no-store</c> on every answer of the API and sign-in routes: tokens, session cookies, Google
    /// redirects and personal data must not stay in a browser's or proxy's cache.
    /// </summary>
    public static WebApplication UseNoStore(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use((http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                || http.Request.Path.StartsWithSegments("/auth", StringComparison.OrdinalIgnoreCase))
            {
                http.Response.Headers.CacheControl = "no-store";
            }
            return next(http);
        });
        return app;
    }
}
