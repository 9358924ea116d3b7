using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace CalSync.Api.Tests;

/// <summary>
/// Text no person types — NUL and other control characters, unpaired surrogates, non-ASCII where a header carries it —
/// answers a 400 naming the field, or is carried safely; never a 500, and a refused request stores nothing.
/// </summary>
public sealed class HostileInputTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_non_ASCII_login_hint_is_percent_encoded_in_the_redirect_to_Google()
    {
        using var browser = fixture.Browser();

        using var login = await browser.GetAsync($"/auth/login?login_hint={Uri.EscapeDataString("zoë@exämple.com")}");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var location = login.Headers.GetValues("Location").Single();
        Assert.All(location, c => Assert.InRange(c, '!', '~'));
        Assert.Equal("zoë@exämple.com", QueryHelpers.ParseQuery(new Uri(location).Query)["login_hint"].ToString());
    }

    [Theory]
    [InlineData("a%00b%40example.com")]
    [InlineData("a%0Ab%40example.com")]
    [InlineData("a%0D%0ASet-Cookie:%20x=y")]
    [InlineData("a%09b%40example.com")]
    [InlineData("a%7Fb%40example.com")]
    [InlineData("a%C2%85b%40example.com")]
    public async Task A_login_hint_with_control_characters_is_a_400_naming_it_and_starts_nothing(string hint)
    {
        using var browser = fixture.Browser();
        var before = await fixture.CountAsync();

        using var login = await browser.GetAsync($"/auth/login?login_hint={hint}");

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Equal("application/problem+json", login.Content.Headers.ContentType?.MediaType);
        Assert.Contains("login_hint", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(login.Headers.Contains("Set-Cookie"));
        Assert.Equal(before, await fixture.CountAsync());
    }

    [Fact]
    public async Task Control_characters_in_connect_s_login_hint_are_a_400_too()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 0);
        var before = await fixture.CountAsync();

        using var connect = await user.Client.GetAsync("/api/accounts/connect?login_hint=a%00b");

        Assert.Equal(HttpStatusCode.BadRequest, connect.StatusCode);
        Assert.Contains("login_hint", await connect.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await fixture.CountAsync());
    }

    public static TheoryData<string, string, string> BadText => new()
    {
        // (what, JSON text of the string including its escapes, where)
        { "NUL", @"a\u0000b", "name" },
        { "NUL", @"\u0000", "copyToTarget.placeholder" },
        { "NUL", @"primary\u0000", "source.calendarId" },
        { "NUL", @"*/15 * * * *\u0000", "schedule.cron" },
        { "NUL", @"Europe/Berlin\u0000", "schedule.timeZone" },
        { "line break", @"a\nb", "name" },
        { "escape", @"a\u001bb", "name" },
        { "C1 control", @"a\u0085b", "name" },
        { "lone high surrogate", @"a\ud800b", "name" },
        { "lone low surrogate", @"\udc00", "copyToTarget.placeholder" },
        { "surrogates reversed", @"\udc00\ud800", "name" },
    };

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task Bad_text_in_a_new_sync_is_a_400_naming_the_field_and_stores_nothing(string what, string text, string field)
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var body = ApiSyncs.OneWayBody(user);
        if (field.StartsWith("schedule", StringComparison.Ordinal))
        {
            body.With("schedule.cron", "*/15 * * * *").With("schedule.timeZone", "Europe/Berlin");
        }
        var json = body.With(field, "MARK_BAD_TEXT").ToJsonString().Replace("\"MARK_BAD_TEXT\"", $"\"{text}\"", StringComparison.Ordinal);
        Assert.Contains(text, json, StringComparison.Ordinal);
        var before = await fixture.CountAsync();

        using var response = await user.Client.PostAsync("/api/syncs", ApiSyncs.Json(json));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal([field], await ApiSyncs.ErrorKeysAsync(response));
        Assert.Equal(before, await fixture.CountAsync());
    }

    [Theory]
    [InlineData(@"a\u0000b", "name")]
    [InlineData(@"a\ud800", "name")]
    [InlineData(@"Busy\u0000", "copyToTarget.placeholder")]
    public async Task Bad_text_in_a_patch_is_a_400_naming_the_field_and_changes_nothing(string text, string field)
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var sync = await user.CreateSyncAsync();
        var id = sync.GetProperty("id").GetGuid();
        var json = new System.Text.Json.Nodes.JsonObject().With(field, "MARK_BAD_TEXT").ToJsonString()
            .Replace("\"MARK_BAD_TEXT\"", $"\"{text}\"", StringComparison.Ordinal);

        using var response = await user.Client.PatchSyncAsync(id, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], await ApiSyncs.ErrorKeysAsync(response));
        Assert.Equal(sync.GetRawText(), (await user.Client.GetFromJsonAsync<JsonElement>($"/api/syncs/{id}")).GetRawText());
    }

    [Theory]
    [InlineData(@"backup\u0000")]
    [InlineData(@"backup\ud800")]
    [InlineData(@"back\nup")]
    public async Task Bad_text_in_a_token_name_is_a_400_naming_it_and_creates_no_token(string text)
    {
        var user = await fixture.NewUserAsync(extraAccounts: 0);
        var before = await fixture.CountAsync();

        using var response = await user.Client.PostAsync("/api/tokens", ApiSyncs.Json($$"""{ "name": "{{text}}" }"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["name"], await ApiSyncs.ErrorKeysAsync(response));
        Assert.Equal(before, await fixture.CountAsync());
    }

    [Fact]
    public async Task Over_real_sockets_non_ASCII_in_login_hint_and_returnTo_is_percent_encoded_and_signs_in()
    {
        // Kestrel, unlike the in-memory test server, refuses to send a header with non-ASCII characters.
        await using var api = fixture.Api.WithWebHostBuilder(web =>
        {
            web.UseSetting("urls", "http://127.0.0.1:0");
            web.UseSetting("Management:Urls", "");
        });
        api.UseKestrel();
        api.StartServer();
        var root = new Uri(api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = root };

        using var hinted = await browser.GetAsync($"/auth/login?login_hint={Uri.EscapeDataString("zoë@exämple.com")}");
        using var signedIn = await fixture.SignInAsync(browser, fixture.NewGoogleAccount(), $"/auth/login?returnTo={Uri.EscapeDataString("/a b/café")}");

        Assert.Equal(HttpStatusCode.Redirect, hinted.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/a%20b/caf%C3%A9", signedIn.Headers.Location!.OriginalString);
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("calsync_session=", StringComparison.Ordinal));
    }
}
