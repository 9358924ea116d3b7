using System.Collections.Concurrent;
using CalSync.Engine.Google;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CalSync.Engine.Auth;

/// <summary>
/// Hands out <see cref="IGoogleCredential"/>s backed by the account store: tokens are loaded and decrypted on
/// demand, refreshed ahead of expiry (the new access token is stored encrypted), and an <c>invalid_grant</c>
/// marks the account <c>reauth_required</c>. Refreshes of one account are serialised within the process.
/// </summary>
public sealed partial class GoogleAccountCredentials(
    GoogleAccountStore store, GoogleOAuthClient oauth, IOptions<GoogleOAuthOptions> options, TimeProvider time, ILogger<GoogleAccountCredentials> logger)
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();

    public IGoogleCredential For(Guid accountId) => new GoogleAccountCredential(this, accountId);

    private TimeProvider Time => time;

    internal async ValueTask<string> GetAccessTokenAsync(Guid accountId, string? rejected, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(accountId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            // Read again under the lock: another caller may have refreshed meanwhile.
            var tokens = await store.LoadTokensAsync(accountId, cancellationToken) ?? throw new ReauthRequiredException(accountId);
            if (tokens.Status != GoogleAccountStatus.Active)
            {
                throw new ReauthRequiredException(accountId);
            }
            if (tokens.AccessToken is { } current && current != rejected && tokens.AccessTokenExpires is { } expires
                && expires - options.Value.RefreshAhead > time.GetUtcNow())
            {
                return current;
            }
            return await RefreshAsync(accountId, tokens.RefreshToken, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<string> RefreshAsync(Guid accountId, string? refreshToken, CancellationToken cancellationToken)
    {
        if (refreshToken is null)
        {
            await store.MarkReauthRequiredAsync(accountId, cancellationToken);
            LogReauthRequired(accountId, "no refresh token stored");
            throw new ReauthRequiredException(accountId);
        }
        try
        {
            var tokens = await oauth.RefreshAsync(refreshToken, cancellationToken);
            await store.SaveRefreshedAsync(accountId, tokens, cancellationToken);
            return tokens.AccessToken;
        }
        catch (GoogleOAuthException ex) when (ex.IsInvalidGrant)
        {
            await store.MarkReauthRequiredAsync(accountId, CancellationToken.None);
            LogReauthRequired(accountId, ex.Error);
            throw new ReauthRequiredException(accountId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Google account {AccountId} needs to be connected again ({Cause}); it is no longer used")]
    private partial void LogReauthRequired(Guid accountId, string cause);

    /// <summary>One account's credential; keeps the last token it handed out so unchanged tokens cost no database read.</summary>
    private sealed class GoogleAccountCredential(GoogleAccountCredentials owner, Guid accountId) : IGoogleCredential
    {
        // A reference swap is atomic: parallel batches of one account may share this credential.
        private volatile CachedToken? _cached;

        public string AccountKey { get; } = accountId.ToString();

        public async ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken)
        {
            if (_cached is { } cached && cached.ValidUntil > owner.Time.GetUtcNow())
            {
                return cached.Token;
            }
            return Remember(await owner.GetAccessTokenAsync(accountId, rejected: null, cancellationToken));
        }

        public async ValueTask<string> RefreshAccessTokenAsync(string rejectedToken, CancellationToken cancellationToken) =>
            Remember(await owner.GetAccessTokenAsync(accountId, rejectedToken, cancellationToken));

        // Cache briefly: a token from the store is valid at least RefreshAhead longer, and a 401 replaces it anyway.
        private string Remember(string token)
        {
            _cached = new CachedToken(token, owner.Time.GetUtcNow() + TimeSpan.FromMinutes(1));
            return token;
        }

        public override string ToString() => $"GoogleAccountCredential {{ AccountId = {AccountKey} }}";

        private sealed record CachedToken(string Token, DateTimeOffset ValidUntil)
        {
            public override string ToString() => $"CachedToken {{ ValidUntil = {ValidUntil:O} }}";
        }
    }
}
