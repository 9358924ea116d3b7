using CalSync.GoogleEmulator.Admin;
using CalSync.GoogleEmulator.Api;
using CalSync.GoogleEmulator.Batch;
using CalSync.GoogleEmulator.Hosting;
using CalSync.GoogleEmulator.OAuth;

var builder = WebApplication.CreateBuilder(args);
builder.AddEmulator();

var app = builder.Build();
app.UsePushNotifications();
app.MapOAuth();
app.MapCalendarApi();
app.MapBatch();
app.MapAdmin();
app.MapGet("/", () => "CalSync Google emulator: OAuth at /o/oauth2/v2/auth and /token, Calendar at /calendar/v3, admin at /emulator");

await app.RunAsync();

/// <summary>Visible to WebApplicationFactory-based tests.</summary>
public partial class Program;
