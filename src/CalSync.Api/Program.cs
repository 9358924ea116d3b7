using CalSync.Api.Accounts;
using CalSync.Api.Auth;
using CalSync.Api.Dashboard;
using CalSync.Api.Hosting;
using CalSync.Api.Runs;
using CalSync.Api.Syncs;
using CalSync.Api.Tokens;
using CalSync.Api.Users;
using CalSync.Api.Webhooks;
using CalSync.Engine;

// The folder of the dll, not the working directory: started from elsewhere (./run.sh), the Api still reads its appsettings.json.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddApiLogSecrecy();
builder.AddApiTelemetry();
builder.AddManagementPort();
builder.AddForwardedHeadersFromProxies();
builder.AddCalSyncEngine();
builder.AddCalSyncAuth();
builder.AddApiRequests();
builder.AddApiRateLimits();
builder.AddApiMessaging();
builder.AddApiDocs();
builder.AddSyncs();
builder.AddRuns();
builder.AddDashboard();
builder.AddWebhooks();

var app = builder.Build();
app.UseForwardedHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDashboardErrorPages();
app.UseNoStore();
app.UseManagementPort();
app.MapApiMetrics();
app.UseMiddleware<BodySizeLimit>();
app.UseMiddleware<CrossSiteRequests>();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapHealth();
app.MapApiDocs();
app.MapSignIn();
app.MapMe();
app.MapTokens();
app.MapAccounts();
app.MapSyncs();
app.MapRuns();
app.MapDashboard();
app.MapWebhooks();
app.Run();

/// <summary>Entry point, visible to tests that host the Api.</summary>
public partial class Program;
