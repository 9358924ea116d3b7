namespace CalSync.Engine.Google;

/// <summary>
/// The bearer tokens of one Google account. The real one reads the token vault and refreshes through
/// OAuth (<c>Auth.GoogleAccountCredential</c>); tests may hand out a fixed token.
/// </summary>
public interface IGoogleCredential
{
    /// <summary>Partitions rate limiting and call accounting: the <c>google_accounts</c> row id.</summary>
    string AccountKey { get; }

    /// <summary>A currently valid access token (refreshed first when it is about to expire).</summary>
    ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Google rejected <paramref name="rejectedToken"/> with 401: get a new one. Concurrent callers that saw the
    /// same rejected token share one refresh.
    /// </summary>
    ValueTask<string> RefreshAccessTokenAsync(string rejectedToken, CancellationToken cancellationToken);
}
