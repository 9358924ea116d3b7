using CalSync.Engine.Auth;
using CalSync.Testing;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CalSync.Engine.Tests.Auth;

public sealed class GoogleAccountStoreTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task ConnectAsync_StoresEncryptedTokensThatLoadBack()
    {
        var store = Store(TokenVaultTests.Vault(null, TokenVaultTests.NewKey("k1")));
        var account = await ConnectAsync(store, "at-1", "rt-1");

        var tokens = await store.LoadTokensAsync(account.Id, CancellationToken.None);

        Assert.Equal(("at-1", "rt-1"), (tokens!.AccessToken, tokens.RefreshToken));
        Assert.Equal(_time.GetUtcNow().AddHours(1), tokens.AccessTokenExpires);
        var raw = await RawAsync(account.Id);
        Assert.Equal("k1", TokenVault.KeyIdOf(raw.RefreshToken!));
        Assert.DoesNotContain("rt-1", System.Text.Encoding.UTF8.GetString(raw.RefreshToken!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_Reconnect_UpdatesSameRowAndKeepsRefreshTokenWhenNoneIssued()
    {
        var store = Store(TokenVaultTests.Vault(null, TokenVaultTests.NewKey("k1")));
        var first = await ConnectAsync(store, "at-1", "rt-1");
        await store.MarkReauthRequiredAsync(first.Id, CancellationToken.None);
        Assert.True((await store.GetAsync(first.Id, CancellationToken.None))!.NeedsReauthorization);

        var second = await store.ConnectAsync(first.UserId, new GoogleIdentity(first.GoogleSubject, first.Email, null, true),
            new OAuthTokens { AccessToken = "at-2", RefreshToken = "rt-2", ExpiresAt = _time.GetUtcNow().AddHours(1) }, CancellationToken.None);
        var third = await store.ConnectAsync(first.UserId, new GoogleIdentity(first.GoogleSubject, first.Email, null, true),
            new OAuthTokens { AccessToken = "at-3", ExpiresAt = _time.GetUtcNow().AddHours(1) }, CancellationToken.None);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Id, third.Id);
        Assert.Equal(GoogleAccountStatus.Active, third.Status);
        var tokens = await store.LoadTokensAsync(first.Id, CancellationToken.None);
        Assert.Equal(("at-3", "rt-2"), (tokens!.AccessToken, tokens.RefreshToken));
    }

    [Fact]
    public async Task CiphertextCopiedOntoAnotherAccount_FailsToDecrypt()
    {
        var store = Store(TokenVaultTests.Vault(null, TokenVaultTests.NewKey("k1")));
        var victim = await ConnectAsync(store, "at-victim", "rt-victim");
        var attacker = await ConnectAsync(store, "at-attacker", "rt-attacker");
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "update google_accounts set refresh_token = (select refresh_token from google_accounts where id = @victim) where id = @attacker",
                new { victim = victim.Id, attacker = attacker.Id });
        }

        await Assert.ThrowsAsync<TokenVaultException>(() => store.LoadTokensAsync(attacker.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Rotation_OldCiphertextsDecryptNewWritesUseNewKeyAndReEncryptionLeavesNoneUnderOldKey()
    {
        var k1 = TokenVaultTests.NewKey("rot1");
        var k2 = TokenVaultTests.NewKey("rot2");
        var before = Store(TokenVaultTests.Vault(null, k1));
        var old = await ConnectAsync(before, "at-old", "rt-old");
        var old2 = await ConnectAsync(before, "at-old2", "rt-old2");

        var after = Store(TokenVaultTests.Vault(null, k1, k2));
        var loaded = await after.LoadTokensAsync(old.Id, CancellationToken.None);
        Assert.Equal("rt-old", loaded!.RefreshToken);
        var fresh = await ConnectAsync(after, "at-new", "rt-new");
        Assert.Equal("rot2", TokenVault.KeyIdOf((await RawAsync(fresh.Id)).RefreshToken!));
        Assert.Equal("rot1", TokenVault.KeyIdOf((await RawAsync(old.Id)).RefreshToken!));

        var rewritten = await after.ReEncryptAllAsync(batchSize: 1);

        Assert.True(rewritten >= 2);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var all = (await connection.QueryAsync<(byte[]? Access, byte[]? Refresh)>("select access_token, refresh_token from google_accounts")).ToList();
        Assert.DoesNotContain(all.SelectMany(r => new[] { r.Access, r.Refresh }).OfType<byte[]>(), c => TokenVault.KeyIdOf(c) == "rot1");
        var onlyNewKey = Store(TokenVaultTests.Vault(null, k2));
        Assert.Equal(("at-old2", "rt-old2"), await TokensAsync(onlyNewKey, old2.Id));
        Assert.Equal(0, await after.ReEncryptAllAsync());
    }

    private GoogleAccountStore Store(TokenVault vault) => new(database.DataSource, vault, _time);

    private async Task<GoogleAccount> ConnectAsync(GoogleAccountStore store, string access, string refresh)
    {
        var userId = Guid.NewGuid();
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("insert into users (id, email, created_at) values (@userId, @email, now())",
                new { userId, email = $"{userId:N}@example.com" });
        }
        return await store.ConnectAsync(userId, new GoogleIdentity($"sub-{userId:N}", $"{userId:N}@example.com", "Test", true),
            new OAuthTokens { AccessToken = access, RefreshToken = refresh, ExpiresAt = _time.GetUtcNow().AddHours(1), Scope = "openid" },
            CancellationToken.None);
    }

    private static async Task<(string?, string?)> TokensAsync(GoogleAccountStore store, Guid accountId)
    {
        var tokens = await store.LoadTokensAsync(accountId, CancellationToken.None);
        return (tokens!.AccessToken, tokens.RefreshToken);
    }

    private async Task<(byte[]? AccessToken, byte[]? RefreshToken)> RawAsync(Guid accountId)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(byte[]?, byte[]?)>(
            "select access_token, refresh_token from google_accounts where id = @accountId", new { accountId });
    }
}
