using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalSync.Engine.Auth;
using CalSync.Engine.Sync;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CalSync.Api.Tests;

/// <summary>Connected Google accounts: listing, calendars, reconnecting and removing.</summary>
public sealed class AccountTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task An_accounts_calendars_are_listed_with_their_access_role()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 0);
        var account = user.Accounts[0];
        var shared = fixture.Google.Emulator.CreateCalendar(fixture.NewGoogleAccount("colleague"), "Team");
        fixture.Google.Emulator.Share(shared, account.Email, "reader");
        var own = fixture.Google.Emulator.CreateCalendar(account.Email, "Side project");

        var calendars = (await user.Client.GetFromJsonAsync<JsonElement>($"/api/accounts/{account.Id}/calendars")).EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!);

        Assert.Equal(("owner", true, true), Shape(calendars[account.Email]));
        Assert.Equal(("owner", false, true), Shape(calendars[own]));
        Assert.Equal(("reader", false, false), Shape(calendars[shared]));
    }

    [Fact]
    public async Task Removing_an_account_revokes_it_and_forgets_its_tokens()
    {
        var revocations = new RevokeCounter();
        await using var api = WithRevokeCounter(revocations);
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        using var client = ClientFor(api, user);

        using var response = await client.DeleteAsync($"/api/accounts/{user.Accounts[1].Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, revocations.Count);
        var left = await user.Client.GetFromJsonAsync<JsonElement>("/api/accounts");
        Assert.Equal([user.Accounts[0].Id], left.EnumerateArray().Select(a => a.GetProperty("id").GetGuid()));
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*) from google_accounts where id = @id", new { id = user.Accounts[1].Id }));
    }

    [Fact]
    public async Task Removing_an_account_another_person_also_connected_does_not_revoke_it_under_them()
    {
        var revocations = new RevokeCounter();
        await using var api = WithRevokeCounter(revocations);
        var alice = await fixture.NewUserAsync(extraAccounts: 1);
        var shared = alice.Accounts[1];
        using var browser = fixture.Browser();
        using (var _ = await fixture.SignInAsync(browser, shared.Email)) { } // Its owner signs in: a person of their own.
        var theirs = (await browser.GetFromJsonAsync<JsonElement>("/api/accounts"))[0].GetProperty("id").GetGuid();
        using var client = ClientFor(api, alice);

        using var removed = await client.DeleteAsync($"/api/accounts/{shared.Id}");

        // Google revokes a whole grant: revoking would cut the other person off.
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(0, revocations.Count);
        Assert.DoesNotContain(shared.Id, (await alice.Client.GetFromJsonAsync<JsonElement>("/api/accounts")).EnumerateArray().Select(a => a.GetProperty("id").GetGuid()));
        using var calendars = await browser.GetAsync($"/api/accounts/{theirs}/calendars");
        Assert.Equal(HttpStatusCode.OK, calendars.StatusCode);
    }

    [Fact]
    public async Task An_account_a_sync_uses_cannot_be_removed()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        await InsertSyncBetweenAsync(user);

        using var response = await user.Client.DeleteAsync($"/api/accounts/{user.Accounts[1].Id}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("sync", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, (await user.Client.GetFromJsonAsync<JsonElement>("/api/accounts")).GetArrayLength());
    }

    [Fact]
    public async Task Once_its_syncs_are_deleted_an_account_can_be_removed()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var syncId = await InsertSyncBetweenAsync(user);
        await fixture.Api.Services.GetRequiredService<SyncDeletion>().DeleteAsync(user.Id, syncId, removeCopies: false, CancellationToken.None);

        using var response = await user.Client.DeleteAsync($"/api/accounts/{user.Accounts[1].Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await using var check = await fixture.Database.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await check.ExecuteScalarAsync<int>("select count(*) from syncs where id = @syncId", new { syncId }));
    }

    [Fact]
    public async Task An_account_that_needs_reauthorisation_says_so_and_reconnecting_restores_it()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 0);
        var account = user.Accounts[0];
        await fixture.Api.Services.GetRequiredService<GoogleAccountStore>().MarkReauthRequiredAsync(account.Id, CancellationToken.None);

        var listed = await user.Client.GetFromJsonAsync<JsonElement>("/api/accounts");
        Assert.Equal("reauth_required", listed[0].GetProperty("status").GetString());
        using (var calendars = await user.Client.GetAsync($"/api/accounts/{account.Id}/calendars"))
        {
            Assert.Equal(HttpStatusCode.Conflict, calendars.StatusCode);
        }

        using var browser = fixture.Browser();
        using (var _ = await fixture.SignInAsync(browser, account.Email)) { }
        using var reconnect = await browser.GetAsync($"/api/accounts/{account.Id}/reconnect");
        Assert.Equal(HttpStatusCode.Redirect, reconnect.StatusCode);
        Assert.Contains(Uri.EscapeDataString(account.Email), reconnect.Headers.Location!.Query, StringComparison.Ordinal);
        var callback = await ApiUsers.FollowGoogleAsync(reconnect.Headers.Location!);
        using var done = await browser.GetAsync(callback.PathAndQuery);

        Assert.Equal("/api/accounts", done.Headers.Location!.OriginalString);
        var after = await user.Client.GetFromJsonAsync<JsonElement>("/api/accounts");
        Assert.Equal("active", Assert.Single(after.EnumerateArray()).GetProperty("status").GetString());
        using var working = await user.Client.GetAsync($"/api/accounts/{account.Id}/calendars");
        Assert.Equal(HttpStatusCode.OK, working.StatusCode);
    }

    /// <summary>A one-way sync between the user's first two accounts, straight in the table (no Google check needed here).</summary>
    private async Task<Guid> InsertSyncBetweenAsync(ApiUser user)
    {
        var syncId = Guid.NewGuid();
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            insert into syncs (id, user_id, name, a_account_id, a_calendar_id, b_account_id, b_calendar_id, direction, created_at, updated_at)
            values (@syncId, @userId, 'uses both', @a, 'primary', @b, 'primary', 'one-way', now(), now())
            """,
            new { syncId, userId = user.Id, a = user.Accounts[0].Id, b = user.Accounts[1].Id });
        return syncId;
    }

    private WebApplicationFactory<Program> WithRevokeCounter(RevokeCounter counter) =>
        fixture.Api.WithWebHostBuilder(web => web.ConfigureServices(services =>
            services.AddHttpClient(GoogleOAuthClient.HttpClientName).AddHttpMessageHandler(() => counter.Handler())));

    private static HttpClient ClientFor(WebApplicationFactory<Program> api, ApiUser user)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", user.Token);
        return client;
    }

    /// <summary>Counts the Api's calls to Google's revoke endpoint.</summary>
    private sealed class RevokeCounter
    {
        private int _count;

        public int Count => _count;

        public DelegatingHandler Handler() => new Counting(this);

        private sealed class Counting(RevokeCounter owner) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (request.RequestUri!.AbsolutePath.EndsWith("/revoke", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref owner._count);
                }
                return base.SendAsync(request, cancellationToken);
            }
        }
    }

    private static (string?, bool, bool) Shape(JsonElement calendar) =>
        (calendar.GetProperty("accessRole").GetString(), calendar.GetProperty("primary").GetBoolean(), calendar.GetProperty("canWrite").GetBoolean());
}
