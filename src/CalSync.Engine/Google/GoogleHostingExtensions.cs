using CalSync.Engine.Auth;
using CalSync.Engine.Google.Accounting;
using CalSync.Engine.Google.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace CalSync.Engine.Google;

/// <summary>Registers the Google Calendar client, OAuth, the token vault and the account store.</summary>
public static class GoogleHostingExtensions
{
    /// <summary>Configuration key that points every Google endpoint at the emulator (sandbox mode), e.g. <c>http://127.0.0.1:8044</c>.</summary>
    public const string EmulatorRootKey = "Google:EmulatorRoot";

    /// <summary>
    /// Adds <see cref="GoogleCalendarClientFactory"/>, <see cref="GoogleOAuthClient"/>, <see cref="GoogleAccountStore"/>,
    /// <see cref="ApiCallAccounting"/> and their parts. Needs an <c>NpgsqlDataSource</c> (from <c>AddCalSyncEngine</c>).
    /// Configuration: <c>Google</c> (<see cref="GoogleApiOptions"/>), <c>Google:OAuth</c> (<see cref="GoogleOAuthOptions"/>),
    /// <c>TokenVault</c> (<see cref="TokenVaultOptions"/>), and optionally <c>Google:EmulatorRoot</c>.
    /// </summary>
    public static IHostApplicationBuilder AddGoogleCalendar(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var emulatorRoot = builder.Configuration[EmulatorRootKey] is { Length: > 0 } root ? new Uri(root) : null;

        services.AddOptions<GoogleApiOptions>()
            .BindConfiguration(GoogleApiOptions.SectionName)
            .PostConfigure(o => { if (emulatorRoot is not null) { o.UseRoot(emulatorRoot); } })
            .ValidateDataAnnotations()
            .Validate(o => o.CalendarBaseUri.AbsoluteUri.EndsWith('/'), "Google:CalendarBaseUri must end with '/'.")
            .ValidateOnStart();
        services.AddOptions<GoogleOAuthOptions>()
            .BindConfiguration(GoogleOAuthOptions.SectionName)
            .PostConfigure(o => { if (emulatorRoot is not null) { o.UseRoot(emulatorRoot); } })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<TokenVaultOptions>()
            .BindConfiguration(TokenVaultOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Problem() is null, "TokenVault keys are invalid: each needs a unique Id and a base64 32-byte Key; ActiveKeyId must name one.")
            .ValidateOnStart();

        // The default HttpClient logging would print request URIs (a revoke carries its token); the transport and
        // the OAuth client log what is safe themselves.
        services.AddHttpClient(GoogleTransport.HttpClientName, c =>
            {
                // The transport applies Google:RequestTimeout per attempt.
                c.Timeout = Timeout.InfiniteTimeSpan;
                c.DefaultRequestHeaders.UserAgent.ParseAdd("CalSync/1.0 (gzip)");
            })
            // Google compresses when asked (a 2,500-event page shrinks several times); the handler decompresses.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.All })
            .RemoveAllLoggers();
        services.AddHttpClient(GoogleOAuthClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30)).RemoveAllLoggers();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<ApiCallAccounting>();
        services.TryAddSingleton<GoogleQuotaStore>();
        services.TryAddSingleton<GoogleRateLimiter>();
        services.TryAddSingleton<GoogleTransport>();
        services.TryAddSingleton<GoogleCalendarClientFactory>();
        services.TryAddSingleton<GoogleOAuthClient>();
        services.TryAddSingleton<TokenVault>();
        services.TryAddSingleton<GoogleAccountStore>();
        services.TryAddSingleton<GoogleAccountCredentials>();
        return builder;
    }
}
