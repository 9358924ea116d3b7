using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Hosting;

namespace CalSync.GoogleEmulator.Tests.Kit;

/// <summary>One in-process emulator on a free port per test class; tests isolate themselves with fresh accounts.</summary>
public class EmulatorFixture : IAsyncLifetime
{
    public RunningEmulator Emulator { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    protected virtual EmulatorHostOptions Options => new();

    public async Task InitializeAsync()
    {
        Emulator = await EmulatorHost.StartAsync(Options);
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = System.Net.DecompressionMethods.None })
        {
            BaseAddress = Emulator.BaseUri,
        };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }

    /// <summary>A new account (unique email) with its own bearer token, through the admin API.</summary>
    public async Task<GoogleUser> NewUserAsync(string name = "user")
    {
        var email = $"{name}-{Guid.NewGuid():N}@example.com";
        using (var created = await Http.PostAsJsonAsync("emulator/accounts", new { email, name }))
        {
            created.EnsureSuccessStatusCode();
        }

        using var token = await Http.PostAsync($"emulator/accounts/{Uri.EscapeDataString(email)}/token", null);
        token.EnsureSuccessStatusCode();
        var json = JsonNode.Parse(await token.Content.ReadAsStringAsync())!;
        return new GoogleUser(Http, email, json["access_token"]!.GetValue<string>(), json["refresh_token"]!.GetValue<string>());
    }

    public async Task<string> NewCalendarAsync(GoogleUser owner, string summary = "Secondary", string timeZone = "Europe/Zurich")
    {
        using var response = await Http.PostAsJsonAsync($"emulator/accounts/{Uri.EscapeDataString(owner.Email)}/calendars", new { summary, timeZone });
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
    }
}
