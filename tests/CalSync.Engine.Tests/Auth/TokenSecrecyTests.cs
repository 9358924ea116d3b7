using System.Text;
using CalSync.Engine.Auth;
using CalSync.Engine.Google;
using CalSync.Engine.Tests.Google.Integration;
using Dapper;
using Microsoft.Extensions.Logging;
using static CalSync.Engine.Tests.Google.Integration.CalendarClientIntegrationTests;

namespace CalSync.Engine.Tests.Auth;

/// <summary>
/// Tokens the emulator issued (authorization codes, access and refresh tokens) never reach a table in plaintext
/// nor a log record, through sign-in, refresh, sync calls, a batch and a revocation.
/// </summary>
public sealed class TokenSecrecyTests(GoogleEnvironment env) : IClassFixture<GoogleEnvironment>
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EveryTable_AfterAccountsAreConnectedAndUsed_HoldsNoIssuedToken()
    {
        await ExerciseAsync();
        var tokens = Issued();

        await using var connection = await env.Database.DataSource.OpenConnectionAsync();
        var tables = (await connection.QueryAsync<string>(
            "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'")).ToList();
        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            // row_to_json renders bytea as hex, so plaintext stored as bytes shows up as its hex encoding.
            foreach (var row in await connection.QueryAsync<string>($"select row_to_json(t)::text from \"{table}\" t"))
            {
                dump.AppendLine(row);
            }
        }
        var text = dump.ToString();

        Assert.Contains("google_accounts", tables);
        Assert.True(await connection.ExecuteScalarAsync<int>("select count(*) from google_accounts where refresh_token is not null") >= 3);
        foreach (var token in tokens)
        {
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(token)), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(token)), text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LogsAtTrace_ThroughSignInRefreshSyncAndRevoke_ContainNoToken()
    {
        await ExerciseAsync();
        var tokens = Issued();

        var records = env.Logs.GetSnapshot();

        Assert.Contains(records, r => r.Level == LogLevel.Debug && r.Category!.Contains("GoogleTransport", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Category!.Contains("GoogleOAuthClient", StringComparison.Ordinal));
        foreach (var record in records)
        {
            var text = string.Join('\n',
                record.Message,
                record.Exception?.ToString(),
                string.Join(';', record.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? []),
                string.Join(';', record.Scopes.Select(s => s?.ToString())));
            foreach (var token in tokens)
            {
                Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>Sign-in of three accounts, a forced refresh, sync calls (list, insert, batch, 409), and a revocation.</summary>
    private async Task ExerciseAsync()
    {
        var accounts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => env.ConnectNewAccountAsync()));
        var first = accounts[0];
        var credential = env.Get<GoogleAccountCredentials>().For(first.Account.Id);
        var refreshed = await credential.RefreshAccessTokenAsync(await credential.GetAccessTokenAsync(CancellationToken.None), CancellationToken.None);
        Remember(refreshed);

        var id = NewId();
        await first.Client.InsertEventAsync("primary", NewEvent(id, Start), CancellationToken.None);
        await Assert.ThrowsAsync<GoogleApiException>(() => first.Client.InsertEventAsync("primary", NewEvent(id, Start), CancellationToken.None));
        var listing = Assert.IsType<EventListing>(await first.Client.ListEventsAsync("primary", EventListQuery.Window(Start.AddDays(-1), Start.AddDays(1)), CancellationToken.None));
        await first.Client.ListEventsAsync("primary", EventListQuery.Changes(listing.NextSyncToken!), CancellationToken.None);
        await accounts[1].Client.ExecuteBatchAsync(
            [CalendarOperation.InsertEvent("primary", NewEvent(NewId(), Start)), CalendarOperation.DeleteEvent("primary", NewId(), null)], CancellationToken.None);
        await accounts[1].Client.ListCalendarsAsync(CancellationToken.None);

        await env.Get<GoogleOAuthClient>().RevokeAsync(accounts[2].RefreshToken, CancellationToken.None);
        await Assert.ThrowsAsync<ReauthRequiredException>(() => accounts[2].Client.ListCalendarsAsync(CancellationToken.None));
    }

    private void Remember(string token)
    {
        lock (env.IssuedTokens)
        {
            env.IssuedTokens.Add(token);
        }
    }

    private List<string> Issued()
    {
        lock (env.IssuedTokens)
        {
            Assert.NotEmpty(env.IssuedTokens);
            return [.. env.IssuedTokens.Distinct()];
        }
    }
}
