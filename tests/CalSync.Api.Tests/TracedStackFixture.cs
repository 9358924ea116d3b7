extern alias worker;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalSync.Engine.Runs;
using CalSync.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenTelemetry.Trace;

namespace CalSync.Api.Tests;

/// <summary>
/// The Api and a worker on one database, broker and Google emulator, each host with an in-memory trace exporter of its
/// own (added to the host's own OpenTelemetry set-up, as an OTLP exporter would be), and the worker's logs collected.
/// </summary>
public sealed class TracedStackFixture : ApiFixture
{
    public const string Collection = "traced stack";

    private WebApplicationFactory<worker::Program>? _worker;

    public SpanCollection ApiSpans { get; } = new();

    public SpanCollection WorkerSpans { get; } = new();

    public FakeLogCollector WorkerLogs { get; } = new();

    public WebApplicationFactory<worker::Program> Worker => _worker!;

    protected override void ConfigureApi(IWebHostBuilder web) =>
        web.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(ApiSpans)));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _worker = new WebApplicationFactory<worker::Program>().WithWebHostBuilder(web =>
        {
            UseGoogle(web);
            web.UseSetting("Database:ConnectionString", Database.ConnectionString);
            web.UseSetting("Broker:Uri", Broker.Uri.ToString());
            // The Google client's per-request lines are Debug: they show whether every line of a run has its scope.
            web.UseSetting("Logging:LogLevel:CalSync", "Debug");
            web.ConfigureLogging(logging => logging.AddProvider(new FakeLoggerProvider(WorkerLogs)));
            web.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(WorkerSpans)));
        });
        _ = _worker.Services;
    }

    public async Task<TracedRun> RunThroughTheStackAsync()
    {
        var user = await this.NewUserAsync();
        var title = $"Dinner with Sam {Guid.NewGuid():N}";
        var start = TimeProvider.System.GetUtcNow().AddDays(1);
        await Google.CallAsApiAsync(user.Accounts[0].Email, HttpMethod.Post, "calendar/v3/calendars/primary/events",
            JsonSerializer.Serialize(new { summary = title, start = new { dateTime = start }, end = new { dateTime = start.AddHours(1) } }));
        var syncId = (await user.CreateSyncAsync()).GetProperty("id").GetGuid();

        using var response = await user.Client.PostAsync($"/api/syncs/{syncId}/runs", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        var request = (await Eventually.ReachesAsync(
            () => Task.FromResult(ApiSpans.Snapshot().FirstOrDefault(s =>
                s.Kind == ActivityKind.Server && Equals(s.GetTagItem("url.path"), $"/api/syncs/{syncId}/runs"))),
            s => s is not null, "the span of the request that asked for the run"))!;
        // Spans arrive as they end: wait for the run's, and for every span it hangs from (the consume span ends last).
        var trace = await Eventually.ReachesAsync(() => Task.FromResult(Trace(request.TraceId)),
            t => t.Any(s => Equals(s.GetTagItem("calsync.run.id"), runId.ToString()) && s.OperationName == "run")
                && t.All(s => s.ParentSpanId == default || t.Any(p => p.SpanId == s.ParentSpanId)),
            "the run's spans in the request's trace, each with its parent");
        var finished = await Eventually.ReachesAsync(() => new RunStore(Database.DataSource, TimeProvider.System).GetAsync(runId, CancellationToken.None),
            r => r!.IsFinished, "the run to finish");
        Assert.Equal((RunStatus.Succeeded, 1), (finished!.Status, finished.Created));
        return new TracedRun(runId, syncId, user, title, trace, request);
    }

    public List<Activity> Trace(ActivityTraceId traceId) =>
        [.. ApiSpans.Snapshot().Concat(WorkerSpans.Snapshot()).Where(s => s.TraceId == traceId).DistinctBy(s => s.SpanId)];

    public override async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}

[CollectionDefinition(TracedStackFixture.Collection)]
public sealed class TracedStackGroup : ICollectionFixture<TracedStackFixture>;

/// <summary>A run asked for through the Api: its ids, its owner, its source event's title, its trace and the request that began it.</summary>
public sealed record TracedRun(Guid RunId, Guid SyncId, ApiUser User, string Title, IReadOnlyList<Activity> Trace, Activity Request);
