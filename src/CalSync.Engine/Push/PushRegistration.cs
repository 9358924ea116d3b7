using CalSync.Engine.Google;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CalSync.Engine.Push;

public static class PushRegistration
{
    /// <summary>
    /// Push channels: options (<c>Webhooks</c>) and the channel store, plus the reconciler when the host calls
    /// Google (<paramref name="reconciler"/>: workers). A public address must be https unless Google is the emulator.
    /// </summary>
    public static IHostApplicationBuilder AddPushChannels(this IHostApplicationBuilder builder, bool reconciler)
    {
        var sandbox = builder.Configuration[GoogleHostingExtensions.EmulatorRootKey] is { Length: > 0 };
        builder.Services.AddOptions<PushOptions>()
            .BindConfiguration(PushOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.PublicUrl)
                    || o.Root?.Scheme == Uri.UriSchemeHttps || (sandbox && o.Root?.Scheme == Uri.UriSchemeHttp),
                "Webhooks:PublicUrl must be an absolute https address (Google delivers push notifications over https only).")
            .ValidateOnStart();
        builder.Services.AddSingleton<WatchChannelStore>();
        builder.Services.AddSingleton<ChannelStopper>();
        if (reconciler)
        {
            builder.Services.AddSingleton<WatchReconciler>();
        }
        return builder;
    }
}
