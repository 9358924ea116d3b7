namespace CalSync.Api.Hosting;

/// <summary>
/// Operators' endpoints — <c>/metrics</c> and the detailed <c>/health/ready</c> — answer only on a port of their own,
/// <c>Management:Urls</c> (default <c>http://127.0.0.1:8034</c>, loopback; empty: no such port, and no metrics). The
/// public port keeps <c>/health/live</c> and a plain <c>/health/ready</c> (status only) for load balancers and run.sh.
/// The port is told by the connection's local port, which a client cannot forge (a Host header it can).
/// </summary>
public static class ManagementPort
{
    public const string SettingName = "Management:Urls";
    public const string DefaultUrl = "http://127.0.0.1:8034";

    /// <summary>Listens on the management URL as well as on the public ones (<c>Urls</c>).</summary>
    public static IHostApplicationBuilder AddManagementPort(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (ManagementUri(builder.Configuration) is { } management)
        {
            var configured = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls ? urls : "http://localhost:5000";
            string[] publicUrls = [.. configured.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            if (publicUrls.Any(u => Uri.TryCreate(u.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var p) && p.Port == management.Port))
            {
                throw new InvalidOperationException($"{SettingName} needs a port of its own, not one of Urls ({configured}).");
            }
            builder.WebHost.UseUrls([.. publicUrls, management.ToString()]);
        }
        return builder;
    }

    /// <summary>Whether the request came in on the management port.</summary>
    public static bool IsManagement(this HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return ManagementUri(http.RequestServices.GetRequiredService<IConfiguration>()) is { } management
            && http.Connection.LocalPort == management.Port;
    }

    /// <summary>The management port serves operators' endpoints only; the public port does not serve them.</summary>
    public static WebApplication UseManagementPort(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use((http, next) =>
        {
            var operators = http.Request.Path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase)
                || http.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
            var management = http.IsManagement();
            var metrics = http.Request.Path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);
            if ((management && !operators) || (!management && metrics))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return next(http);
        });
        return app;
    }

    private static Uri? ManagementUri(IConfiguration configuration)
    {
        var value = configuration[SettingName] ?? DefaultUrl;
        return string.IsNullOrWhiteSpace(value) ? null
            : Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Port > 0 ? uri
            : throw new InvalidOperationException($"{SettingName} must be one absolute URL with a port (say {DefaultUrl}) or empty.");
    }
}
