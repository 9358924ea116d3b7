namespace CalSync.GoogleEmulator.Hosting;

/// <summary>Configuration section "Emulator".</summary>
public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>A JSON seed file, or "demo" for the built-in demo accounts.</summary>
    public string? SeedFile { get; set; }

    /// <summary>
    /// Where the emulator keeps its memory between runs: restored at start, written when it stops. Null keeps
    /// everything in memory only (tests).
    /// </summary>
    public string? StateFile { get; set; }

    /// <summary>Registered OAuth clients; empty = the default dev client.</summary>
    public IList<OAuthClientOptions> Clients { get; init; } = [];
}

/// <summary>A registered OAuth client. Ids, secrets and redirect URIs are enforced as Google does.</summary>
public sealed class OAuthClientOptions
{
    public required string ClientId { get; set; }

    public required string ClientSecret { get; set; }

    public IList<string> RedirectUris { get; init; } = [];

    /// <summary>Loopback redirect URIs (127.0.0.1, localhost, [::1]) match on any port, as Google allows for desktop clients; tests pick free ports.</summary>
    public bool AllowAnyLoopbackPort { get; set; }

    public static OAuthClientOptions DevClient(bool anyLoopbackPort) => new()
    {
        ClientId = "calsync-dev",
        ClientSecret = "calsync-dev-secret",
        RedirectUris = ["http://127.0.0.1:8033/auth/callback", "http://localhost:8033/auth/callback"],
        AllowAnyLoopbackPort = anyLoopbackPort,
    };

    public bool Accepts(string? redirectUri)
    {
        if (redirectUri is null || !Uri.TryCreate(redirectUri, UriKind.Absolute, out var requested))
        {
            return false;
        }

        foreach (var registered in RedirectUris)
        {
            if (string.Equals(registered, redirectUri, StringComparison.Ordinal))
            {
                return true;
            }

            if (AllowAnyLoopbackPort && requested.IsLoopback && requested.Scheme == "http"
                && Uri.TryCreate(registered, UriKind.Absolute, out var r) && r.IsLoopback
                && string.Equals(r.AbsolutePath, requested.AbsolutePath, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
