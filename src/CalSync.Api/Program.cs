using CalSync.Api.Hosting;
using CalSync.Engine;

var builder = WebApplication.CreateBuilder(args);
builder.AddCalSyncEngine();
builder.AddApiMessaging();
builder.AddApiDocs();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealth();
app.MapApiDocs();
app.Run();

/// <summary>Entry point, visible to tests that host the Api.</summary>
public partial class Program;
