namespace CalSync.Api.Auth;

/// <summary>Sign-in settings (section <c>SignIn</c>, e.g. <c>SignIn__PublicUrl</c>).</summary>
public sealed class SignInOptions
{
    public const string SectionName = "SignIn";

    /// <summary>
    /// The Api's address as browsers reach it, e.g. <c>https://calsync.example.com</c>; the OAuth redirect URI is
    /// <c>{PublicUrl}/auth/callback</c> and must be registered with Google exactly. Unset: the request's own
    /// scheme and host, which suits a single machine (and keeps cookies on the host the browser used).
    /// </summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>Sign-ins one client address may start or finish per minute (and at once); past it, 429.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000)]
    public int AttemptsPerMinute { get; set; } = 30;
}
