namespace CalSync.Api.Dashboard;

/// <summary>
/// The web dashboard: Razor Pages rendered on the server, on the same origin, session cookie, stores and rules as
/// the REST API. Pages live in <c>Dashboard/Pages</c>; the few static files (a stylesheet, one small script) in wwwroot.
/// </summary>
public static class DashboardExtensions
{
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Dashboard/Pages";
            o.Conventions.AddPageRoute("/Syncs/Edit", "syncs/new");
            o.Conventions.ConfigureFilter(new DashboardPageFilter());
        });
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "calsync_antiforgery";
            o.FormFieldName = "__csrf";
        });
        builder.Services.AddSingleton<SyncPickers>();
        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStaticFiles();
        app.MapRazorPages();
        return app;
    }
}
