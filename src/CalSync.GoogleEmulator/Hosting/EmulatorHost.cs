using CalSync.GoogleEmulator.Admin;
using CalSync.GoogleEmulator.Api;
using CalSync.GoogleEmulator.Batch;
using CalSync.GoogleEmulator.OAuth;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CalSync.GoogleEmulator.Hosting;

/// <summary>Options for an in-process emulator.</summary>
public sealed class EmulatorHostOptions
{
    /// <summary>Port 0 picks a free port; push notifications and other processes need a real Kestrel port.</summary>
    public string Url { get; init; } = "http://127.0.0.1:0";

    /// <summary>"demo", a seed file path, or null for an empty emulator.</summary>
    public string? Seed { get; init; }

    /// <summary>Restore from and save to this file (see <see cref="EmulatorOptions.StateFile"/>); null stays in memory.</summary>
    public string? StateFile { get; init; }

    /// <summary>Defaults to the dev client with any loopback port accepted, since tests pick free ports.</summary>
    public IList<OAuthClientOptions>? Clients { get; init; }

    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Show the emulator's logs (off by default to keep test output quiet).</summary>
    public bool Logging { get; init; }
}

/// <summary>
/// Starts the emulator inside another process, e.g. a test project:
/// <c>await using var google = await EmulatorHost.StartAsync();</c> then use <c>google.BaseUri</c>.
/// </summary>
public static class EmulatorHost
{
    public static async Task<RunningEmulator> StartAsync(EmulatorHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorHostOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EmulatorHost).Assembly.GetName().Name,
            EnvironmentName = "Development",
            Args = options.Seed is null ? [] : ["--seed", options.Seed],
        });
        builder.WebHost.UseKestrel().UseUrls(options.Url);
        if (!options.Logging)
        {
            builder.Logging.ClearProviders();
        }

        if (options.TimeProvider is not null)
        {
            builder.Services.AddSingleton(options.TimeProvider);
        }

        builder.Services.PostConfigure<EmulatorOptions>(o =>
        {
            o.StateFile ??= options.StateFile;
            if (o.Clients.Count == 0)
            {
                foreach (var client in options.Clients ?? [OAuthClientOptions.DevClient(anyLoopbackPort: true)])
                {
                    o.Clients.Add(client);
                }
            }
        });
        builder.AddEmulator();

        var app = builder.Build();
        app.UsePushNotifications();
        app.MapOAuth();
        app.MapCalendarApi();
        app.MapBatch();
        app.MapAdmin();
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningEmulator(app, new Uri(address.TrimEnd('/') + "/"));
    }
}
