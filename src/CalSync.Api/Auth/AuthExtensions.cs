using CalSync.Api.Accounts;
using CalSync.Engine.People;
using Microsoft.AspNetCore.Authentication;

namespace CalSync.Api.Auth;

public static class AuthExtensions
{
    /// <summary>
    /// Sign-in with Google (the Engine's OAuth client and token vault, from <c>AddCalSyncEngine</c>), sessions, personal access tokens and the
    /// one authentication scheme that reads both; plus the account services built on the Google client.
    /// </summary>
    public static IHostApplicationBuilder AddCalSyncAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SignInOptions>()
            .BindConfiguration(SignInOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.PublicUrl is null || o.PublicUrl.IsAbsoluteUri, "SignIn:PublicUrl must be an absolute URL.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<AccessTokenStore>();
        builder.Services.AddSingleton<OAuthLoginStore>();
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddSingleton<SignInFlow>();
        builder.Services.AddSingleton<AccountCalendars>();
        builder.Services.AddSingleton<AccountRemoval>();
        builder.Services.AddAuthentication(CalSyncAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, CalSyncAuthentication>(CalSyncAuthentication.SchemeName, null);
        builder.Services.AddAuthorization();
        return builder;
    }
}
