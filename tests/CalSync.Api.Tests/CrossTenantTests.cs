using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;

namespace CalSync.Api.Tests;

/// <summary>Another person's ids: every route answers 404, says nothing about them, and changes nothing.</summary>
public sealed class CrossTenantTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Every_route_answers_404_to_another_persons_ids_and_leaks_nothing()
    {
        var alice = await fixture.NewUserAsync(extraAccounts: 2);
        var bob = await fixture.NewUserAsync(extraAccounts: 1);
        var sync = await alice.CreateSyncAsync(ApiSyncs.OneWayBody(alice, "Alice's secret sync"));
        var syncId = sync.GetProperty("id").GetGuid();
        using var trigger = await alice.Client.PostAsync($"/api/syncs/{syncId}/runs", content: null);
        var runId = (await trigger.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        var tokenId = (await alice.Client.GetFromJsonAsync<JsonElement>("/api/tokens"))[0].GetProperty("id").GetGuid();
        // An account no sync uses, so that only ownership stands in the way of its removal.
        var spareAccount = alice.Accounts[2].Id;
        var before = await SnapshotAsync(alice, syncId, runId);

        var calls = new (HttpMethod Method, string Url, string? Body)[]
        {
            (HttpMethod.Get, $"/api/syncs/{syncId}", null),
            (HttpMethod.Patch, $"/api/syncs/{syncId}", """{ "name": "mine now", "active": false }"""),
            (HttpMethod.Delete, $"/api/syncs/{syncId}", null),
            (HttpMethod.Delete, $"/api/syncs/{syncId}?removeCopies=true", null),
            (HttpMethod.Post, $"/api/syncs/{syncId}/runs", """{ "fullResync": true }"""),
            (HttpMethod.Get, $"/api/syncs/{syncId}/runs", null),
            (HttpMethod.Get, $"/api/runs/{runId}", null),
            (HttpMethod.Get, $"/api/runs/{runId}/changes", null),
            (HttpMethod.Get, $"/api/accounts/{alice.Accounts[0].Id}/calendars", null),
            (HttpMethod.Delete, $"/api/accounts/{spareAccount}", null),
            (HttpMethod.Get, $"/api/accounts/{alice.Accounts[0].Id}/reconnect", null),
            (HttpMethod.Delete, $"/api/tokens/{tokenId}", null),
        };
        string[] secrets = [syncId.ToString(), runId.ToString(), alice.Id.ToString(), tokenId.ToString(), "secret sync",
            .. alice.Accounts.SelectMany(a => new[] { a.Id.ToString(), a.Email })];

        // Control: the same reads work for their owner, so a 404 below is about who asks, not a wrong URL.
        foreach (var (_, url, _) in calls.Where(c => c.Method == HttpMethod.Get))
        {
            using var own = await alice.Client.GetAsync(url);
            Assert.True(own.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, $"Alice: GET {url}: {own.StatusCode}");
        }

        foreach (var (method, url, body) in calls)
        {
            using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : ApiSyncs.Json(body) };
            using var response = await bob.Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {url}: {(int)response.StatusCode} {text}");
            Assert.DoesNotContain(secrets, s => text.Contains(s, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(secrets, s => response.Headers.ToString().Contains(s, StringComparison.OrdinalIgnoreCase));
        }

        Assert.Equal(before, await SnapshotAsync(alice, syncId, runId));
        using var stillWorks = await alice.Client.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
    }

    [Fact]
    public async Task Another_persons_account_in_a_new_sync_is_refused_like_an_unknown_one()
    {
        var alice = await fixture.NewUserAsync(extraAccounts: 1);
        var bob = await fixture.NewUserAsync(extraAccounts: 1);

        using var theirs = await bob.Client.PostSyncAsync(ApiSyncs.OneWayBody(bob).With("target.accountId", alice.Accounts[1].Id));
        using var unknown = await bob.Client.PostSyncAsync(ApiSyncs.OneWayBody(bob).With("target.accountId", Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.BadRequest, theirs.StatusCode);
        var theirsErrors = (await theirs.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        var unknownErrors = (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["target.accountId"], theirsErrors.EnumerateObject().Select(e => e.Name));
        Assert.Equal(unknownErrors.GetRawText(), theirsErrors.GetRawText());
        Assert.DoesNotContain(alice.Accounts[1].Email, theirsErrors.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What Alice has: her sync and run as she reads them, her accounts, her tokens, and the rows behind them.</summary>
    private async Task<string> SnapshotAsync(ApiUser alice, Guid syncId, Guid runId)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        var rows = await connection.QuerySingleAsync<string>(
            """
            select concat_ws('|',
                (select count(*) from runs where sync_id = @syncId),
                (select count(*) from google_accounts where user_id = @userId),
                (select count(*) from personal_access_tokens where user_id = @userId))
            """,
            new { syncId, userId = alice.Id });
        return string.Join("\n",
            rows,
            await alice.Client.GetStringAsync($"/api/syncs/{syncId}"),
            await alice.Client.GetStringAsync($"/api/runs/{runId}"),
            await alice.Client.GetStringAsync("/api/accounts"),
            await alice.Client.GetStringAsync("/api/tokens"));
    }
}
