using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CalSync.GoogleEmulator.Tests.Kit;

/// <summary>A webhook receiver on a free loopback port; tests await notifications instead of sleeping.</summary>
public sealed class PushListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<Notification> _received = Channel.CreateUnbounded<Notification>();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public sealed record Notification(string ChannelId, string? Token, string State, long Number, string ResourceId, string? Expiration);

    private PushListener(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>A receiver; with <paramref name="hang"/> it records each notification but answers only when disposed (a stuck webhook).</summary>
    public static async Task<PushListener> StartAsync(bool hang = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        PushListener? listener = null;
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            var h = request.Headers;
            listener!._received.Writer.TryWrite(new Notification(h["X-Goog-Channel-ID"]!, h["X-Goog-Channel-Token"].FirstOrDefault(),
                h["X-Goog-Resource-State"]!, long.Parse(h["X-Goog-Message-Number"]!, System.Globalization.CultureInfo.InvariantCulture),
                h["X-Goog-Resource-ID"]!, h["X-Goog-Channel-Expiration"].FirstOrDefault()));
            if (hang)
            {
                await listener._released.Task;
            }

            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        listener = new PushListener(app, new Uri(address.TrimEnd('/') + "/hook"));
        return listener;
    }

    /// <summary>The next notification, or a TimeoutException after a generous wait.</summary>
    public async Task<Notification> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No push notification arrived.");
        }
    }

    public bool TryTake(out Notification? notification) => _received.Reader.TryRead(out notification);

    public async ValueTask DisposeAsync()
    {
        _released.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
