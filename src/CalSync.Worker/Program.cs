using CalSync.Engine;
using CalSync.Worker.Hosting;

// A worker: consumes SyncRequested from RabbitMQ and runs syncs. Its small HTTP surface is for
// operators only (health and, later, metrics), on its own port.
var builder = WebApplication.CreateSlimBuilder(args);
builder.AddCalSyncEngine();
builder.AddWorkerMessaging();

var app = builder.Build();
app.MapWorkerHealth();
app.Run();

/// <summary>Entry point, visible to tests that host the worker.</summary>
public partial class Program;
