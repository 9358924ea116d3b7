using System.Net;
using System.Net.Http.Json;
using CalSync.Engine.Auth;
using CalSync.Engine.Google;
using CalSync.Engine.Google.Accounting;
using static CalSync.Engine.Tests.Google.Integration.CalendarClientIntegrationTests;

namespace CalSync.Engine.Tests.Google.Integration;

/// <summary>401 refresh, rate-limit backoff with Retry-After, no retry on other 403s, and invalid_grant, against the emulator's faults.</summary>
public sealed class ResilienceIntegrationTests(GoogleEnvironment env) : IClassFixture<GoogleEnvironment>, IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly int[] Unauthorized = [401];
    private static readonly int[] Forbidden = [403];
    private static readonly int[] TooMany = [429];
    private static readonly int[] Unavailable = [503];

    public Task InitializeAsync() => env.ResetFaultsAsync();

    public Task DisposeAsync() => env.ResetFaultsAsync();

    [Fact]
    public async Task Unauthorized_RefreshesTheTokenOnceAndRetries()
    {
        var account = await env.ConnectNewAccountAsync();
        await env.SetFaultsAsync(new { failNext = 1, errorStatuses = Unauthorized });
        using var scope = env.Get<ApiCallAccounting>().BeginScope();

        var calendars = await account.Client.ListCalendarsAsync(CancellationToken.None);

        Assert.NotEmpty(calendars);
        Assert.Equal(2, scope.Calls);
        var stored = await env.Get<GoogleAccountStore>().LoadTokensAsync(account.Account.Id, CancellationToken.None);
        Assert.NotEqual(account.AccessToken, stored!.AccessToken);
        lock (env.IssuedTokens)
        {
            env.IssuedTokens.Add(stored.AccessToken!);
        }
    }

    [Theory]
    [InlineData(403)]
    [InlineData(429)]
    public async Task RateLimited_WithRetryAfter_WaitsAndRetries(int status)
    {
        var account = await env.ConnectNewAccountAsync();
        await env.SetFaultsAsync(new { failNext = 2, errorStatuses = status == 403 ? Forbidden : TooMany, retryAfterSeconds = 1 });
        using var scope = env.Get<ApiCallAccounting>().BeginScope();
        var started = TimeProvider.System.GetTimestamp();

        var inserted = await account.Client.InsertEventAsync("primary", NewEvent(NewId(), Start), CancellationToken.None);

        Assert.NotNull(inserted.Etag);
        Assert.Equal(3, scope.Calls);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(1.9), "Retry-After: 1 was not honoured twice");
    }

    [Fact]
    public async Task ServerErrors_AreRetried()
    {
        var account = await env.ConnectNewAccountAsync();
        await env.SetFaultsAsync(new { failNext = 2, errorStatuses = Unavailable });
        using var scope = env.Get<ApiCallAccounting>().BeginScope();

        Assert.Null(await account.Client.GetEventAsync("primary", NewId(), CancellationToken.None));
        Assert.Equal(3, scope.Calls);
    }

    [Fact]
    public async Task Forbidden_NotARateLimit_IsNotRetried()
    {
        var owner = await env.ConnectNewAccountAsync("owner");
        var reader = await env.ConnectNewAccountAsync("reader");
        using (var shared = await env.Admin.PostAsJsonAsync($"emulator/calendars/{Uri.EscapeDataString(owner.Email)}/acl", new { email = reader.Email, role = "reader" }))
        {
            shared.EnsureSuccessStatusCode();
        }
        using var scope = env.Get<ApiCallAccounting>().BeginScope();

        var error = await Assert.ThrowsAsync<GoogleApiException>(() => reader.Client.InsertEventAsync(owner.Email, NewEvent(NewId(), Start), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.False(error.IsRetryable);
        Assert.False(error.IsRateLimited);
        Assert.Equal(1, scope.Calls);
    }

    [Fact]
    public async Task BatchPart_RateLimited_IsSentAgainAfterRetryAfter()
    {
        var account = await env.ConnectNewAccountAsync();
        await env.SetFaultsAsync(new { failNext = 1, errorStatuses = TooMany, retryAfterSeconds = 1 });
        using var scope = env.Get<ApiCallAccounting>().BeginScope();

        var results = await account.Client.ExecuteBatchAsync(
            [.. Enumerable.Range(0, 3).Select(i => CalendarOperation.InsertEvent("primary", NewEvent(NewId(), Start.AddHours(i))))], CancellationToken.None);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        Assert.Equal(4, scope.Calls);
        Assert.Equal(2, scope.HttpRequests);
    }

    [Fact]
    public async Task InvalidGrant_MarksTheAccountReauthRequiredAndStopsCallingGoogle()
    {
        var account = await env.ConnectNewAccountAsync();
        await env.Get<GoogleOAuthClient>().RevokeAsync(account.RefreshToken, CancellationToken.None);
        using var scope = env.Get<ApiCallAccounting>().BeginScope();

        var error = await Assert.ThrowsAsync<ReauthRequiredException>(() => account.Client.ListCalendarsAsync(CancellationToken.None));

        Assert.False(error.IsRetryable);
        Assert.Equal(account.Account.Id, error.AccountId);
        Assert.True((await env.Get<GoogleAccountStore>().GetAsync(account.Account.Id, CancellationToken.None))!.NeedsReauthorization);
        var calls = scope.Calls;
        var fresh = env.Get<GoogleCalendarClientFactory>().ForAccount(account.Account.Id);
        await Assert.ThrowsAsync<ReauthRequiredException>(() => fresh.ListCalendarsAsync(CancellationToken.None));
        Assert.Equal(calls, scope.Calls);
    }
}
