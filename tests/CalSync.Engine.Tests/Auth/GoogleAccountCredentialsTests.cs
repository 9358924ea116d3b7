using System.Net;
using CalSync.Engine.Auth;
using CalSync.Engine.Tests.Google;
using CalSync.Testing;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CalSync.Engine.Tests.Auth;

public sealed class GoogleAccountCredentialsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly TokenVault _vault = TokenVaultTests.Vault(null, TokenVaultTests.NewKey("k1"));
    private int _refreshes;

    [Fact]
    public async Task GetAccessToken_Valid_UsesStoredTokenWithoutRefresh()
    {
        using var handler = TokenEndpoint(_ => FakeHandler.Json(HttpStatusCode.OK, """{"access_token":"at-new","expires_in":3599}"""));
        var (credentials, store, accountId) = await SetupAsync(handler);

        Assert.Equal("at-1", await credentials.For(accountId).GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal(0, _refreshes);
        Assert.NotNull(store);
    }

    [Fact]
    public async Task GetAccessToken_NearExpiry_RefreshesOnceForConcurrentCallersAndStoresEncrypted()
    {
        using var handler = TokenEndpoint(_ => FakeHandler.Json(HttpStatusCode.OK, """{"access_token":"at-new","expires_in":3599}"""));
        var (credentials, store, accountId) = await SetupAsync(handler);
        _time.Advance(TimeSpan.FromMinutes(56));

        var tokens = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => credentials.For(accountId).GetAccessTokenAsync(CancellationToken.None).AsTask()));

        Assert.All(tokens, t => Assert.Equal("at-new", t));
        Assert.Equal(1, _refreshes);
        var stored = await store.LoadTokensAsync(accountId, CancellationToken.None);
        Assert.Equal("at-new", stored!.AccessToken);
        Assert.Equal("rt-1", stored.RefreshToken);
    }

    [Fact]
    public async Task RefreshAccessToken_AfterUnauthorized_RefreshesEvenIfNotExpired()
    {
        using var handler = TokenEndpoint(_ => FakeHandler.Json(HttpStatusCode.OK, """{"access_token":"at-new","expires_in":3599}"""));
        var (credentials, _, accountId) = await SetupAsync(handler);
        var credential = credentials.For(accountId);

        var token = await credential.GetAccessTokenAsync(CancellationToken.None);
        var refreshed = await credential.RefreshAccessTokenAsync(token, CancellationToken.None);

        Assert.Equal("at-new", refreshed);
        Assert.Equal("at-new", await credential.GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal(1, _refreshes);
    }

    [Fact]
    public async Task InvalidGrant_MarksAccountReauthRequiredAndStopsUsingIt()
    {
        using var handler = TokenEndpoint(_ => FakeHandler.Json(HttpStatusCode.BadRequest, """{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"""));
        var (credentials, store, accountId) = await SetupAsync(handler);
        _time.Advance(TimeSpan.FromHours(2));

        var error = await Assert.ThrowsAsync<ReauthRequiredException>(() => credentials.For(accountId).GetAccessTokenAsync(CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ReauthRequiredException>(() => credentials.For(accountId).GetAccessTokenAsync(CancellationToken.None).AsTask());

        Assert.False(error.IsRetryable);
        Assert.Equal(accountId, error.AccountId);
        Assert.Equal(1, _refreshes);
        var account = await store.GetAsync(accountId, CancellationToken.None);
        Assert.Equal(GoogleAccountStatus.ReauthRequired, account!.Status);
        Assert.Null(await store.GetRefreshTokenAsync(accountId, CancellationToken.None));
    }

    private FakeHandler TokenEndpoint(Func<RecordedRequest, HttpResponseMessage> respond) => new(r =>
    {
        Interlocked.Increment(ref _refreshes);
        return respond(r);
    });

    private async Task<(GoogleAccountCredentials, GoogleAccountStore, Guid)> SetupAsync(FakeHandler handler)
    {
        var store = new GoogleAccountStore(database.DataSource, _vault, _time);
        var options = Options.Create(new GoogleOAuthOptions { ClientId = "c", ClientSecret = "s" });
        var oauth = new GoogleOAuthClient(new FakeHttpClientFactory(handler), options, _time, NullLogger<GoogleOAuthClient>.Instance);
        var credentials = new GoogleAccountCredentials(store, oauth, options, _time, NullLogger<GoogleAccountCredentials>.Instance);
        var userId = Guid.NewGuid();
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("insert into users (id, email, created_at) values (@userId, 'u@example.com', now())", new { userId });
        }
        var account = await store.ConnectAsync(userId, new GoogleIdentity($"sub-{userId:N}", "u@example.com", null, true),
            new OAuthTokens { AccessToken = "at-1", RefreshToken = "rt-1", ExpiresAt = _time.GetUtcNow().AddHours(1) }, CancellationToken.None);
        return (credentials, store, account.Id);
    }
}
