using CalSync.Engine;
using CalSync.Worker.Hosting;
using CalSync.Worker.Push;
using CalSync.Worker.Runs;
using CalSync.Worker.Schedules;

// A worker: consumes SyncRequested from RabbitMQ and runs syncs, re-publishes runs that need it, and
// fires cron schedules (one Quartz cluster across all workers). Its small HTTP surface is for
// operators only (health and metrics), on its own port.
// The folder of the dll, not the working directory: started from elsewhere (./run.sh), the worker still reads its
// appsettings.json (which binds its operator port to loopback).
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddCalSyncEngine();
builder.AddWorkerRuns();
builder.AddWorkerMessaging();
builder.AddWorkerSchedules();
builder.AddWorkerPush();
builder.AddWorkerTelemetry();

var app = builder.Build();
app.MapWorkerHealth();
app.MapWorkerMetrics();
app.Run();

/// <summary>Entry point, visible to tests that host the worker.</summary>
public partial class Program;
