extern alias api;

using CalSync.Testing;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using ApiProgram = api::Program;

namespace CalSync.Drills.Tests;

/// <summary>
/// A drill world with push: the Api in process on a real loopback port (the emulator posts its notifications
/// there), and workers that watch calendars through it. No sync has a schedule unless a drill gives it one.
/// </summary>
public class PushDrillFixture : DrillFixture, IAsyncLifetime
{
    private readonly int _apiPort = WorkerProcess.FreePort();

    public WebApplicationFactory<ApiProgram> Api { get; private set; } = null!;

    public Uri ApiUrl => new($"http://127.0.0.1:{_apiPort}/");

    /// <summary>A burst of changes takes the emulator up to a second here: one wait covers it.</summary>
    protected virtual string Debounce => "00:00:01";

    protected override Dictionary<string, string> WorkerSettings
    {
        get
        {
            var settings = base.WorkerSettings;
            settings["Webhooks:PublicUrl"] = ApiUrl.ToString();
            settings["Webhooks:ReconcileInterval"] = "00:00:00.500";
            return settings;
        }
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Api = new WebApplicationFactory<ApiProgram>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in Google.Settings)
            {
                web.UseSetting(key, value);
            }
            web.UseSetting("Database:ConnectionString", Database.ConnectionString);
            web.UseSetting("Broker:Uri", Broker.Uri.ToString());
            web.UseSetting("Webhooks:Debounce", Debounce);
            // The Api's appsettings name its production port; the drill's own wins.
            web.UseSetting("Urls", ApiUrl.ToString());
            web.UseSetting("Management:Urls", ""); // No operators' port: drills run side by side.
        });
        Api.UseKestrel();
        Api.StartServer();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Api.DisposeAsync();
        await DisposeAsync();
    }

    /// <summary>The statuses of the channels watching an account's calendars.</summary>
    public async Task<List<string>> ChannelStatusesAsync(string email)
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<string>(
            "select c.status from watch_channels c join google_accounts g on g.id = c.account_id where g.email = @email order by c.created_at",
            new { email })];
    }

    /// <summary>The triggers of a sync's runs, oldest first, and whether each has finished.</summary>
    public async Task<List<(string Trigger, string Status)>> RunsAsync(Guid syncId)
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<(string, string)>(
            "select trigger, status from runs where sync_id = @syncId order by queued_at", new { syncId })];
    }
}
