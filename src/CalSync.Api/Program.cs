using CalSync.Api.Accounts;
using CalSync.Api.Auth;
using CalSync.Api.Hosting;
using CalSync.Api.Tokens;
using CalSync.Api.Users;
using CalSync.Engine;

var builder = WebApplication.CreateBuilder(args);
builder.AddCalSyncEngine();
builder.AddCalSyncAuth();
builder.AddApiRequests();
builder.AddApiMessaging();
builder.AddApiDocs();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.MapHealth();
app.MapApiDocs();
app.MapSignIn();
app.MapMe();
app.MapTokens();
app.MapAccounts();
app.Run();

/// <summary>Entry point, visible to tests that host the Api.</summary>
public partial class Program;
