using CalSync.Engine.Push;

namespace CalSync.Api.Webhooks;

public static class WebhookExtensions
{
    /// <summary>The Google push webhook: channel store, per-sync debounce, push metrics, and push status in sync replies.</summary>
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.AddPushChannels(reconciler: false);
        builder.Services.AddSingleton<PushDebouncer>();
        builder.Services.AddSingleton<PushMetrics>();
        builder.Services.AddSingleton<SyncPushStatus>();
        return builder;
    }
}
