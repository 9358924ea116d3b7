using System.ComponentModel.DataAnnotations;

namespace CalSync.Engine.Auth;

/// <summary>
/// The Google OAuth client and endpoints (section <c>Google:OAuth</c>, e.g. <c>Google__OAuth__ClientId</c>).
/// Endpoints default to Google's; <c>Google:EmulatorRoot</c> points them at the emulator.
/// </summary>
public sealed class GoogleOAuthOptions
{
    public const string SectionName = "Google:OAuth";

    [Required]
    public string ClientId { get; set; } = "";

    [Required]
    public string ClientSecret { get; set; } = "";

    [Required]
    public Uri AuthorizationEndpoint { get; set; } = new("https://accounts.google.com/o/oauth2/v2/auth");

    [Required]
    public Uri TokenEndpoint { get; set; } = new("https://oauth2.googleapis.com/token");

    [Required]
    public Uri RevokeEndpoint { get; set; } = new("https://oauth2.googleapis.com/revoke");

    [Required]
    public Uri UserInfoEndpoint { get; set; } = new("https://openidconnect.googleapis.com/v1/userinfo");

    /// <summary>Sign-in identity plus full Calendar access.</summary>
    [MinLength(1)]
    public IList<string> Scopes { get; init; } = ["openid", "email", "profile", "https://www.googleapis.com/auth/calendar"];

    /// <summary>Refresh an access token this long before Google's expiry, so a call never carries an expired one.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan RefreshAhead { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Points every endpoint at the emulator's paths (the same paths as Google's hosts).</summary>
    public void UseRoot(Uri root)
    {
        ArgumentNullException.ThrowIfNull(root);
        AuthorizationEndpoint = new Uri(root, "/o/oauth2/v2/auth");
        TokenEndpoint = new Uri(root, "/token");
        RevokeEndpoint = new Uri(root, "/revoke");
        UserInfoEndpoint = new Uri(root, "/v1/userinfo");
    }

    // The client secret stays out of logs.
    public override string ToString() => $"GoogleOAuthOptions {{ ClientId = {ClientId}, TokenEndpoint = {TokenEndpoint} }}";
}
