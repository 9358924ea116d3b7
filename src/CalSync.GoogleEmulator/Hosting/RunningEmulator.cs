using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Faults;
using CalSync.GoogleEmulator.OAuth;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Hosting;

/// <summary>Tokens for an emulator account, as the admin token endpoint returns them.</summary>
public sealed record EmulatorTokens(string AccessToken, string RefreshToken, int ExpiresIn);

/// <summary>A started in-process emulator. Dispose to stop it.</summary>
public sealed class RunningEmulator(WebApplication app, Uri baseUri) : IAsyncDisposable
{
    /// <summary>Root URL, e.g. http://127.0.0.1:41234/ — Calendar is at BaseUri + "calendar/v3/", tokens at BaseUri + "token".</summary>
    public Uri BaseUri { get; } = baseUri;

    public IServiceProvider Services => app.Services;

    public string DefaultClientId => app.Services.GetRequiredService<TokenIssuer>().Clients[0].ClientId;

    public string DefaultClientSecret => app.Services.GetRequiredService<TokenIssuer>().Clients[0].ClientSecret;

    /// <summary>Same as POST /emulator/accounts: creates the account and its primary calendar (id = email).</summary>
    public void CreateAccount(string email, string name, string timeZone = "UTC")
    {
        var state = app.Services.GetRequiredService<EmulatorState>();
        lock (state.Gate)
        {
            state.CreateAccount(email, name, timeZone);
        }
    }

    /// <summary>Same as POST /emulator/accounts/{email}/calendars; returns the new calendar's id.</summary>
    public string CreateCalendar(string ownerEmail, string summary, string timeZone = "UTC")
    {
        var state = app.Services.GetRequiredService<EmulatorState>();
        lock (state.Gate)
        {
            return state.CreateCalendar(state.Accounts[ownerEmail], summary, timeZone).Id;
        }
    }

    /// <summary>Same as POST /emulator/calendars/{calendarId}/acl: role is reader, writer, owner, freeBusyReader or none.</summary>
    public void Share(string calendarId, string email, string role)
    {
        var state = app.Services.GetRequiredService<EmulatorState>();
        lock (state.Gate)
        {
            state.Share(state.Calendars[calendarId], state.Accounts[email], role);
        }
    }

    /// <summary>Same as POST /emulator/accounts/{email}/token, with full calendar scope.</summary>
    public EmulatorTokens IssueTokens(string email)
    {
        var state = app.Services.GetRequiredService<EmulatorState>();
        var issuer = app.Services.GetRequiredService<TokenIssuer>();
        lock (state.Gate)
        {
            var account = state.Accounts[email];
            JsonObject token = issuer.Issue(account, issuer.Clients[0].ClientId, [EmulatorState.FullScope, "openid", "email", "profile"],
                withRefreshToken: true, existingRefresh: null, nonce: null);
            return new EmulatorTokens(token["access_token"]!.GetValue<string>(), token["refresh_token"]!.GetValue<string>(), TokenIssuer.ExpiresIn);
        }
    }

    /// <summary>Same as POST /emulator/accounts/{email}/expire-access-tokens: calls answer 401 until the client refreshes.</summary>
    public void ExpireAccessTokens(string email)
    {
        var state = app.Services.GetRequiredService<EmulatorState>();
        lock (state.Gate)
        {
            state.ExpireAccessTokens(email);
        }
    }

    /// <summary>Same as POST /emulator/accounts/{email}/revoke: the user withdrew access; refreshing answers invalid_grant.</summary>
    public void RevokeAccess(string email)
    {
        var state = app.Services.GetRequiredService<EmulatorState>();
        lock (state.Gate)
        {
            state.ExpireAccessTokens(email);
            state.RevokeGrants(email);
        }
    }

    /// <summary>Current fault settings (PUT /emulator/faults changes them).</summary>
    public FaultSettings Faults => app.Services.GetRequiredService<FaultInjector>().Settings;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
