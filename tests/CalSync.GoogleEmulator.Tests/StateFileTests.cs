using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Hosting;
using CalSync.GoogleEmulator.Tests.Kit;

namespace CalSync.GoogleEmulator.Tests;

/// <summary>A state file carries the emulator's memory from one process to the next, as the sandbox needs across ./run.sh stop and start.</summary>
public sealed class StateFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("emulator-state-").FullName;

    private string StatePath => Path.Combine(_folder, "emulator-state.json");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Events_grants_shares_and_sync_tokens_survive_a_stop_and_a_new_start()
    {
        var owner = $"owner-{Guid.NewGuid():N}@example.com";
        var reader = $"reader-{Guid.NewGuid():N}@example.com";
        string calendarId, refreshToken, accessToken, syncToken, kept, deleted;
        await using (var first = await StartAsync())
        {
            using var http = Client(first);
            first.CreateAccount(owner, "Owner");
            first.CreateAccount(reader, "Reader");
            calendarId = first.CreateCalendar(owner, "Team", "Europe/Zurich");
            first.Share(calendarId, reader, "reader");
            var tokens = first.IssueTokens(owner);
            (refreshToken, accessToken) = (tokens.RefreshToken, tokens.AccessToken);
            var user = new GoogleUser(http, owner, accessToken, refreshToken);
            var events = $"calendar/v3/calendars/{Uri.EscapeDataString(calendarId)}/events";
            kept = (await user.InsertAsync("Kept", new DateTimeOffset(2030, 5, 1, 9, 0, 0, TimeSpan.Zero), calendarPath: events))["id"]!.GetValue<string>();
            deleted = (await user.InsertAsync("Deleted", new DateTimeOffset(2030, 5, 2, 9, 0, 0, TimeSpan.Zero), calendarPath: events))["id"]!.GetValue<string>();
            var full = await user.GetAsync(events);
            syncToken = full.Json!["nextSyncToken"]!.GetValue<string>();
            Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteAsync($"{events}/{deleted}")).Status);
        }

        Assert.True(File.Exists(StatePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(StatePath));

        await using var second = await StartAsync();
        using var http2 = Client(second);
        var again = new GoogleUser(http2, owner, accessToken, refreshToken);
        var path = $"calendar/v3/calendars/{Uri.EscapeDataString(calendarId)}/events";

        // The access token issued before the stop still works, and the sync token taken before the deletion reports it.
        var incremental = await again.GetAsync($"{path}?syncToken={Uri.EscapeDataString(syncToken)}");
        Assert.Equal(HttpStatusCode.OK, incremental.Status);
        var change = Assert.Single(incremental.Items);
        Assert.Equal(deleted, change!["id"]!.GetValue<string>());
        Assert.Equal("cancelled", change["status"]!.GetValue<string>());

        var list = await again.GetAsync(path);
        Assert.Equal([kept], list.ItemIds);
        Assert.Equal("Kept", list.Items[0]!["summary"]!.GetValue<string>());

        // The refresh token is still a valid grant.
        using var refreshed = await http2.PostAsync("token", Refresh(refreshToken));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var fresh = JsonNode.Parse(await refreshed.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        var withFresh = new GoogleUser(http2, owner, fresh, refreshToken);
        Assert.Equal(HttpStatusCode.OK, (await withFresh.GetAsync(path)).Status);

        // The share and the reader's calendar list came back too.
        var readerTokens = second.IssueTokens(reader);
        var readerUser = new GoogleUser(http2, reader, readerTokens.AccessToken, readerTokens.RefreshToken);
        var readerList = await readerUser.GetAsync("calendar/v3/users/me/calendarList");
        var entry = readerList.Items.Single(i => i!["id"]!.GetValue<string>() == calendarId);
        Assert.Equal("reader", entry!["accessRole"]!.GetValue<string>());

        // New writes after the restart get etags that sort after every etag issued before it.
        var before = list.Items[0]!["etag"]!.GetValue<string>();
        var after = (await again.InsertAsync("After", new DateTimeOffset(2030, 5, 3, 9, 0, 0, TimeSpan.Zero), calendarPath: path))["etag"]!.GetValue<string>();
        Assert.True(long.Parse(after.Trim('"'), System.Globalization.CultureInfo.InvariantCulture)
                    > long.Parse(before.Trim('"'), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_reset_clears_memory_and_the_file()
    {
        var email = $"gone-{Guid.NewGuid():N}@example.com";
        await using (var first = await StartAsync())
        {
            first.CreateAccount(email, "Gone");
        }

        Assert.True(File.Exists(StatePath));
        await using (var second = await StartAsync())
        {
            using var http = Client(second);
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"emulator/accounts/{Uri.EscapeDataString(email)}/token", null)).StatusCode);
            using var reset = await http.PostAsync("emulator/reset", null);
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
            Assert.False(File.Exists(StatePath));
        }

        await using var third = await StartAsync();
        using var http3 = Client(third);
        using var token = await http3.PostAsync($"emulator/accounts/{Uri.EscapeDataString(email)}/token", null);
        Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
    }

    [Fact]
    public async Task A_corrupt_file_is_set_aside_and_the_emulator_starts_from_its_seed()
    {
        await File.WriteAllTextAsync(StatePath, "{\"version\":1,\"accounts\":[{\"email\":");

        await using var emulator = await StartAsync(seed: "demo");
        using var http = Client(emulator);
        using var created = await http.PostAsJsonAsync("emulator/accounts", new { email = "later@example.com", name = "Later" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("emulator/accounts/alice%40example.com/token", null)).StatusCode);
        var aside = Assert.Single(Directory.GetFiles(_folder, "emulator-state.json.unreadable-*"));
        Assert.Equal("{\"version\":1,\"accounts\":[{\"email\":", await File.ReadAllTextAsync(aside));
    }

    private Task<RunningEmulator> StartAsync(string? seed = null) => EmulatorHost.StartAsync(new EmulatorHostOptions { StateFile = StatePath, Seed = seed });

    private static HttpClient Client(RunningEmulator emulator) => new() { BaseAddress = emulator.BaseUri };

    private static FormUrlEncodedContent Refresh(string refreshToken) => new(
    [
        KeyValuePair.Create("grant_type", "refresh_token"), KeyValuePair.Create("refresh_token", refreshToken),
        KeyValuePair.Create("client_id", "calsync-dev"), KeyValuePair.Create("client_secret", "calsync-dev-secret"),
    ]);
}
