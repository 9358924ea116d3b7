using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Api;
using CalSync.GoogleEmulator.Faults;
using CalSync.GoogleEmulator.Hosting;
using CalSync.GoogleEmulator.Seed;
using CalSync.GoogleEmulator.Stats;
using CalSync.GoogleEmulator.Store;
using CalSync.GoogleEmulator.OAuth;

namespace CalSync.GoogleEmulator.Admin;

/// <summary>The emulator's own admin API (design.md, "Emulator"); these paths and shapes are a fixed contract.</summary>
internal static class AdminEndpoints
{
    private static readonly string[] DefaultScopes = [EmulatorState.FullScope, "openid", "email", "profile"];

    internal sealed record NewAccount(string? Email, string? Name, string? TimeZone);

    internal sealed record NewCalendar(string? Summary, string? TimeZone, string? Description);

    internal sealed record NewToken(string[]? Scopes, string? ClientId);

    internal sealed record NewShare(string? Email, string? Role);

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/emulator");
        admin.MapPost("/accounts", CreateAccount);
        admin.MapGet("/accounts", (EmulatorState state) =>
        {
            lock (state.Gate)
            {
                return Results.Json(state.Accounts.Values.Select(a => new { email = a.Email, name = a.Name, sub = a.Subject }).ToList());
            }
        });
        admin.MapPost("/accounts/{email}/calendars", CreateCalendar);
        admin.MapPost("/accounts/{email}/token", IssueToken);
        admin.MapPost("/accounts/{email}/expire-access-tokens", (string email, EmulatorState state) => Grants(state, email, revoke: false));
        admin.MapPost("/accounts/{email}/revoke", (string email, EmulatorState state) => Grants(state, email, revoke: true));
        admin.MapGet("/stats", (CallStats stats) => Results.Json(stats.Snapshot()));
        admin.MapPost("/stats/reset", (CallStats stats) =>
        {
            stats.Reset();
            return Results.NoContent();
        });
        admin.MapGet("/faults", (FaultInjector faults) => Results.Json(faults.Settings));
        admin.MapPut("/faults", UpdateFaults);
        admin.MapPost("/calendars/{calendarId}/expire-sync-tokens", ExpireSyncTokens);
        admin.MapPost("/calendars/{calendarId}/acl", ShareCalendar);
        admin.MapPost("/calendars/{calendarId}/events", PlantEvent);
        admin.MapPost("/reset", Reset);
        return app;
    }

    /// <summary>Nulls are part of the fault contract ("quotaPerUserPerMinute": null), so the web defaults apply here, not Google's omit-null style.</summary>
    private static IResult UpdateFaults(JsonObject body, FaultInjector faults)
    {
        try
        {
            return Results.Json(faults.Update(body));
        }
        catch (System.Text.Json.JsonException ex)
        {
            return Results.Problem(ex.Message, statusCode: 400);
        }
    }

    private static IResult CreateAccount(NewAccount body, EmulatorState state)
    {
        if (string.IsNullOrWhiteSpace(body.Email) || !body.Email.Contains('@', StringComparison.Ordinal))
        {
            return Results.Problem("email is required", statusCode: 400);
        }

        lock (state.Gate)
        {
            var existed = state.Accounts.ContainsKey(body.Email);
            var account = state.CreateAccount(body.Email, body.Name ?? body.Email, body.TimeZone ?? "UTC");
            var result = new { email = account.Email, name = account.Name, sub = account.Subject, primaryCalendarId = account.Email };
            return existed ? Results.Ok(result) : Results.Created($"/emulator/accounts/{Uri.EscapeDataString(account.Email)}", result);
        }
    }

    private static IResult CreateCalendar(string email, NewCalendar body, EmulatorState state)
    {
        if (body.TimeZone is not null && Zones.Find(body.TimeZone) is null)
        {
            return Results.Problem("unknown timeZone", statusCode: 400);
        }

        lock (state.Gate)
        {
            if (!state.Accounts.TryGetValue(email, out var account))
            {
                return Results.NotFound();
            }

            var calendar = state.CreateCalendar(account, body.Summary ?? "Calendar", body.TimeZone ?? state.Calendars[account.Email].TimeZone);
            calendar.Description = body.Description;
            return Results.Json(CalendarsApi.Entry(calendar, "owner"), statusCode: 201);
        }
    }

    private static IResult IssueToken(string email, NewToken? body, EmulatorState state, TokenIssuer issuer)
    {
        lock (state.Gate)
        {
            if (!state.Accounts.TryGetValue(email, out var account))
            {
                return Results.NotFound();
            }

            var client = issuer.Client(body?.ClientId) ?? issuer.Clients[0];
            var token = issuer.Issue(account, client.ClientId, body?.Scopes ?? DefaultScopes, withRefreshToken: true, existingRefresh: null, nonce: null);
            return Results.Json(token);
        }
    }

    /// <summary>
    /// Additive test helpers: expire the account's access tokens (clients must refresh) or revoke all its
    /// grants, as when the user removes the app's access (refresh then answers invalid_grant).
    /// </summary>
    private static IResult Grants(EmulatorState state, string email, bool revoke)
    {
        lock (state.Gate)
        {
            if (!state.Accounts.ContainsKey(email))
            {
                return Results.NotFound();
            }

            state.ExpireAccessTokens(email);
            if (revoke)
            {
                state.RevokeGrants(email);
            }

            return Results.NoContent();
        }
    }

    private static IResult ExpireSyncTokens(string calendarId, EmulatorState state)
    {
        lock (state.Gate)
        {
            if (!state.Calendars.TryGetValue(calendarId, out var calendar))
            {
                return Results.NotFound();
            }

            calendar.TokenEpoch++;
            return Results.NoContent();
        }
    }

    private static IResult ShareCalendar(string calendarId, NewShare body, EmulatorState state)
    {
        if (body.Role is not ("reader" or "writer" or "owner" or "freeBusyReader" or "none") || body.Email is null)
        {
            return Results.Problem("email and role (reader|writer|owner|freeBusyReader|none) are required", statusCode: 400);
        }

        lock (state.Gate)
        {
            if (!state.Calendars.TryGetValue(calendarId, out var calendar) || !state.Accounts.TryGetValue(body.Email, out var account))
            {
                return Results.NotFound();
            }

            state.Share(calendar, account, body.Role);
            return Results.Json(new { calendarId = calendar.Id, email = account.Email, role = body.Role });
        }
    }

    /// <summary>
    /// An event as Google itself would put it on the calendar, with the owner as organizer: validated like events.insert,
    /// but types clients cannot create (fromGmail) are allowed. Attendees with accounts are invited as on insert.
    /// </summary>
    private static async Task<IResult> PlantEvent(string calendarId, HttpRequest http, EmulatorState state)
    {
        using var buffer = new MemoryStream();
        await http.Body.CopyToAsync(buffer, http.HttpContext.RequestAborted);
        lock (state.Gate)
        {
            if (!state.Calendars.TryGetValue(calendarId, out var calendar) || !state.Accounts.TryGetValue(calendar.OwnerEmail, out var owner))
            {
                return Results.NotFound();
            }

            var request = new ApiRequest("POST", "", QueryParams.Parse(null), ApiRequest.NewHeaders(), buffer.ToArray());
            var result = EventsApi.Insert(new CallContext(request, owner, state, [calendar.Id]), byGoogle: true);
            return Results.Text(System.Text.Encoding.UTF8.GetString(result.Body ?? []), "application/json; charset=UTF-8",
                statusCode: result.Status == 200 ? 201 : result.Status);
        }
    }

    private static IResult Reset(EmulatorState state, CallStats stats, FaultInjector faults, SeedLoader seed, StateFile stateFile)
    {
        lock (state.Gate)
        {
            state.Reset();
        }

        stateFile.Forget();
        stats.Reset();
        faults.Reset();

        // A reset returns to the start-up state: the configured seed, if any, is applied again.
        seed.Apply();
        return Results.NoContent();
    }
}
