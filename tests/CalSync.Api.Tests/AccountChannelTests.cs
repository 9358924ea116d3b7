using System.Text.Json;
using System.Text.Json.Nodes;
using CalSync.Api.Accounts;
using CalSync.Engine.Push;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CalSync.Api.Tests;

/// <summary>
/// Removing a Google account stops its push channels at Google first, while its credentials still work: once
/// the account and its rows are gone, Google's notifications for them would come from a channel nobody can stop.
/// </summary>
public sealed class AccountChannelTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Removing_an_account_stops_its_live_channels_at_Google_before_access_is_revoked()
    {
        var sync = await fixture.Google.CreateSyncAsync(fixture.Database.DataSource);
        var (userId, accountId) = await AccountOfAsync(sync.SourceEmail);
        var channelId = ChannelTokens.NewChannelId();
        var token = ChannelTokens.NewToken();
        var watch = JsonNode.Parse(await fixture.Google.CallAsApiAsync(sync.SourceEmail, HttpMethod.Post, "calendar/v3/calendars/primary/events/watch",
            JsonSerializer.Serialize(new { id = channelId, type = "web_hook", address = "http://127.0.0.1:9/webhooks/google", token })))!;
        var store = fixture.Api.Services.GetRequiredService<WatchChannelStore>();
        Assert.True(await store.TryAddPendingAsync(channelId, new WatchedCalendar(accountId, "primary"), ChannelTokens.Hash(token), CancellationToken.None));
        await store.ActivateAsync(channelId, watch["resourceId"]!.GetValue<string>(), TimeProvider.System.GetUtcNow().AddDays(7), null, CancellationToken.None);
        await using (var connection = await fixture.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("delete from syncs where id = @SyncId", sync);
        }

        var result = await fixture.Api.Services.GetRequiredService<AccountRemoval>().RemoveAsync(userId, accountId, CancellationToken.None);

        Assert.Equal(AccountRemovalResult.Removed, result);
        Assert.Equal(1, await CallsAsync(sync.SourceEmail, "calendar.channels.stop"));
        // Google knows the channel no more: stopping it again is a 404.
        var again = await Assert.ThrowsAsync<HttpRequestException>(() => fixture.Google.CallAsApiAsync(sync.TargetEmail, HttpMethod.Post, "calendar/v3/channels/stop",
            JsonSerializer.Serialize(new { id = channelId, resourceId = watch["resourceId"]!.GetValue<string>() })));
        Assert.StartsWith("404", again.Message, StringComparison.Ordinal);
    }

    private async Task<(Guid UserId, Guid AccountId)> AccountOfAsync(string email)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(Guid, Guid)>("select user_id, id from google_accounts where email = @email", new { email });
    }

    private async Task<int> CallsAsync(string email, string method)
    {
        using var http = new HttpClient { BaseAddress = fixture.Google.Emulator.BaseUri };
        using var stats = JsonDocument.Parse(await http.GetStringAsync("emulator/stats"));
        return stats.RootElement.GetProperty("accounts").TryGetProperty(email, out var account)
            && account.GetProperty("byMethod").TryGetProperty(method, out var count) ? count.GetInt32() : 0;
    }
}
