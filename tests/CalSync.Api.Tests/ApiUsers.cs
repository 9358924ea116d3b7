using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CalSync.Api.Tests;

/// <summary>A person signed in through the real OAuth round trip, with a personal access token and their accounts.</summary>
public sealed record ApiUser(Guid Id, HttpClient Client, string Token, IReadOnlyList<ApiAccount> Accounts);

/// <summary>A connected Google account: the Api's id for it and the emulator email.</summary>
public sealed record ApiAccount(Guid Id, string Email);

/// <summary>Signing in and connecting accounts the way a script does: <c>login_hint</c>, following each redirect.</summary>
public static class ApiUsers
{
    /// <summary>Follows <c>/auth/login?login_hint=…</c> through the emulator and back; returns where the callback redirected.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this ApiFixture fixture, HttpClient browser, string email, string start = "/auth/login")
    {
        ArgumentNullException.ThrowIfNull(fixture);
        ArgumentNullException.ThrowIfNull(browser);
        using var login = await browser.GetAsync($"{start}{(start.Contains('?', StringComparison.Ordinal) ? '&' : '?')}login_hint={Uri.EscapeDataString(email)}");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var callback = await FollowGoogleAsync(login.Headers.Location!);
        return await browser.GetAsync(callback.PathAndQuery);
    }

    /// <summary>What Google's consent page does for a <c>login_hint</c> it knows: redirects back with a code.</summary>
    public static async Task<Uri> FollowGoogleAsync(Uri authorizationUrl)
    {
        using var google = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var consent = await google.GetAsync(authorizationUrl);
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        return consent.Headers.Location!;
    }

    /// <summary>
    /// A new person: signs in with one new emulator account, connects <paramref name="extraAccounts"/> more, creates
    /// an access token and returns a client that authenticates with it. Accounts are in the order they were connected.
    /// </summary>
    public static async Task<ApiUser> NewUserAsync(this ApiFixture fixture, int extraAccounts = 1)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        using var browser = fixture.Browser();
        List<string> emails = [fixture.NewGoogleAccount()];
        using (var signedIn = await fixture.SignInAsync(browser, emails[0]))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }
        for (var i = 0; i < extraAccounts; i++)
        {
            emails.Add(fixture.NewGoogleAccount("other"));
            using var connected = await fixture.SignInAsync(browser, emails[^1], "/api/accounts/connect");
            Assert.Equal(HttpStatusCode.Redirect, connected.StatusCode);
        }
        using var created = await browser.PostAsJsonAsync("/api/tokens", new { name = "tests" });
        created.EnsureSuccessStatusCode();
        var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        var client = fixture.Api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        var accounts = (await client.GetFromJsonAsync<JsonElement>("/api/accounts")).EnumerateArray()
            .ToDictionary(a => a.GetProperty("email").GetString()!, a => a.GetProperty("id").GetGuid());
        // In the order they were connected: the sign-in account first.
        return new ApiUser(me.GetProperty("id").GetGuid(), client, token, [.. emails.Select(e => new ApiAccount(accounts[e], e))]);
    }
}
