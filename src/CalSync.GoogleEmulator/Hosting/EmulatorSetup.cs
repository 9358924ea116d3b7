using CalSync.GoogleEmulator.Api;
using CalSync.GoogleEmulator.Faults;
using CalSync.GoogleEmulator.OAuth;
using CalSync.GoogleEmulator.Push;
using CalSync.GoogleEmulator.Seed;
using CalSync.GoogleEmulator.Stats;
using CalSync.GoogleEmulator.Store;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CalSync.GoogleEmulator.Hosting;

/// <summary>The emulator's one entry point on the builder.</summary>
public static class EmulatorSetup
{
    public const string DefaultUrl = "http://127.0.0.1:8044";

    public static WebApplicationBuilder AddEmulator(this WebApplicationBuilder builder)
    {
        // Default address unless --urls / ASPNETCORE_URLS / config says otherwise.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddOptions<EmulatorOptions>().BindConfiguration(EmulatorOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EmulatorState>();
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<CallStats>();
        builder.Services.AddSingleton<IdTokenSigner>();
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<CalendarDispatcher>();
        builder.Services.AddSingleton<PushNotifier>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PushNotifier>());
        builder.Services.AddSingleton<SeedLoader>();
        builder.Services.AddSingleton<StateFile>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StateFile>());
        builder.Services.AddHttpClient(nameof(PushNotifier), client => client.Timeout = TimeSpan.FromSeconds(10));
        return builder;
    }

    public static WebApplication UsePushNotifications(this WebApplication app)
    {
        var state = app.Services.GetRequiredService<EmulatorState>();
        var notifier = app.Services.GetRequiredService<PushNotifier>();
        state.CalendarChanged += notifier.OnCalendarChanged;
        state.AclChanged += notifier.OnAclChanged;
        state.ListChanged += notifier.OnListChanged;
        return app;
    }
}
