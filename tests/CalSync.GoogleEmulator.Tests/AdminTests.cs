using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Hosting;
using CalSync.GoogleEmulator.Tests.Kit;

namespace CalSync.GoogleEmulator.Tests;

public sealed class AdminTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Stats_count_calls_per_account_and_method_and_reset_clears_them()
    {
        var user = await fixture.NewUserAsync();
        await user.GetAsync(user.Events);
        await user.GetAsync(user.Events);
        await user.PostAsync(user.Events, Bodies.Timed("x"));

        var stats = JsonNode.Parse(await fixture.Http.GetStringAsync("emulator/stats"))!;
        using var reset = await fixture.Http.PostAsync("emulator/stats/reset", null);
        var after = JsonNode.Parse(await fixture.Http.GetStringAsync("emulator/stats"))!;

        var mine = stats["accounts"]![user.Email]!;
        Assert.Equal(3, mine["total"]!.GetValue<int>());
        Assert.Equal(3, mine["httpRequests"]!.GetValue<int>());
        Assert.Equal(2, mine["byMethod"]!["calendar.events.list"]!.GetValue<int>());
        Assert.Equal(1, mine["byMethod"]!["calendar.events.insert"]!.GetValue<int>());
        Assert.Null(after["accounts"]![user.Email]);
    }

    [Fact]
    public async Task Token_endpoint_shape()
    {
        var email = $"shape-{Guid.NewGuid():N}@example.com";
        using var created = await fixture.Http.PostAsJsonAsync("emulator/accounts", new { email, name = "Shape" });
        using var token = await fixture.Http.PostAsync($"emulator/accounts/{Uri.EscapeDataString(email)}/token", null);
        var json = JsonNode.Parse(await token.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith("ya29.", json["access_token"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(json["refresh_token"]);
        Assert.Equal(3599, json["expires_in"]!.GetValue<int>());
    }

    [Fact]
    public async Task Expired_access_tokens_answer_401_until_refreshed_and_revoked_access_is_invalid_grant()
    {
        var user = await fixture.NewUserAsync();
        var escaped = Uri.EscapeDataString(user.Email);

        using var expire = await fixture.Http.PostAsync($"emulator/accounts/{escaped}/expire-access-tokens", null);
        var expired = await user.GetAsync(user.Events);
        using var refreshed = await RefreshAsync(user.RefreshToken);
        using var revoke = await fixture.Http.PostAsync($"emulator/accounts/{escaped}/revoke", null);
        using var afterRevoke = await RefreshAsync(user.RefreshToken);

        Assert.Equal(HttpStatusCode.NoContent, expire.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, afterRevoke.StatusCode);
        Assert.Contains("invalid_grant", await afterRevoke.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> RefreshAsync(string refreshToken) => fixture.Http.PostAsync("token", new FormUrlEncodedContent(
    [
        KeyValuePair.Create("grant_type", "refresh_token"), KeyValuePair.Create("refresh_token", refreshToken),
        KeyValuePair.Create("client_id", "calsync-dev"), KeyValuePair.Create("client_secret", "calsync-dev-secret"),
    ]));

    [Fact]
    public async Task Reset_removes_accounts_and_tokens()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var http = new HttpClient { BaseAddress = emulator.BaseUri };
        emulator.CreateAccount("reset@example.com", "Reset");
        var tokens = emulator.IssueTokens("reset@example.com");

        using var reset = await http.PostAsync("emulator/reset", null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "calendar/v3/colors");
        request.Headers.Authorization = new("Bearer", tokens.AccessToken);
        using var call = await http.SendAsync(request);
        var accounts = JsonNode.Parse(await http.GetStringAsync("emulator/accounts"))!.AsArray();

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, call.StatusCode);
        Assert.Empty(accounts);
    }

    [Fact]
    public async Task Seed_file_creates_accounts_calendars_shares_series_and_exceptions()
    {
        var path = Path.Combine(Path.GetTempPath(), $"emulator-seed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """
            { "accounts": [
              { "email": "seed-alice@example.com", "name": "Alice", "timeZone": "Europe/Berlin",
                "events": [
                  { "id": "standup0seed1", "summary": "Standup",
                    "start": { "dateTime": "2030-03-04T09:30:00", "timeZone": "Europe/Berlin" },
                    "end": { "dateTime": "2030-03-04T09:45:00", "timeZone": "Europe/Berlin" },
                    "recurrence": [ "RRULE:FREQ=DAILY;COUNT=3" ] },
                  { "recurringEventId": "standup0seed1", "summary": "Standup (moved)",
                    "originalStartTime": { "dateTime": "2030-03-05T09:30:00", "timeZone": "Europe/Berlin" },
                    "start": { "dateTime": "2030-03-05T10:00:00", "timeZone": "Europe/Berlin" },
                    "end": { "dateTime": "2030-03-05T10:15:00", "timeZone": "Europe/Berlin" } },
                  { "recurringEventId": "standup0seed1", "status": "cancelled",
                    "originalStartTime": { "dateTime": "2030-03-06T09:30:00", "timeZone": "Europe/Berlin" } } ],
                "calendars": [ { "summary": "Family", "timeZone": "Europe/Berlin", "events": [],
                                 "shareWith": [ { "email": "seed-bob@example.com", "role": "reader" } ] } ] },
              { "email": "seed-bob@example.com", "name": "Bob" } ] }
            """);
        try
        {
            await using var emulator = await EmulatorHost.StartAsync(new EmulatorHostOptions { Seed = path });
            using var http = new HttpClient { BaseAddress = emulator.BaseUri };
            var alice = new GoogleUser(http, "seed-alice@example.com", emulator.IssueTokens("seed-alice@example.com").AccessToken, "");
            var bob = new GoogleUser(http, "seed-bob@example.com", emulator.IssueTokens("seed-bob@example.com").AccessToken, "");

            var instances = await alice.GetAsync($"{alice.Events}?singleEvents=true&orderBy=startTime&timeMin=2030-03-01T00:00:00Z&timeMax=2030-03-10T00:00:00Z");
            var bobsList = await bob.GetAsync("calendar/v3/users/me/calendarList");

            Assert.Equal(["Standup", "Standup (moved)"], instances.Items.Select(i => i!["summary"]!.GetValue<string>()));
            Assert.Equal(["owner", "reader"], bobsList.Items.Select(i => i!["accessRole"]!.GetValue<string>()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Demo_seed_creates_two_people_with_two_accounts_each_and_a_mix_of_events()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorHostOptions { Seed = "demo" });
        using var http = new HttpClient { BaseAddress = emulator.BaseUri };
        var alice = new GoogleUser(http, "alice@example.com", emulator.IssueTokens("alice@example.com").AccessToken, "");

        var accounts = JsonNode.Parse(await http.GetStringAsync("emulator/accounts"))!.AsArray().Select(a => a!["email"]!.GetValue<string>());
        var events = await alice.GetAsync($"{alice.Events}?singleEvents=true&orderBy=startTime&maxResults=2500");
        var calendars = await alice.GetAsync("calendar/v3/users/me/calendarList");

        Assert.Equal(["alice.work@example.com", "alice@example.com", "bob.work@example.com", "bob@example.com"], accounts.Order(StringComparer.Ordinal));
        Assert.Contains(events.Items, e => e!["eventType"]!.GetValue<string>() == "outOfOffice");
        Assert.Contains(events.Items, e => e!["start"]!["date"] is not null);
        Assert.Contains(events.Items, e => e!["recurringEventId"] is not null && e["summary"]!.GetValue<string>().Contains("moved", StringComparison.Ordinal));
        Assert.Equal(2, calendars.Items.Count);
    }
}
