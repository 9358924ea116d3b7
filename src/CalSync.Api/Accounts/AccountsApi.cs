using System.Security.Claims;
using CalSync.Api.Auth;
using CalSync.Engine.Auth;
using CalSync.Engine.People;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalSync.Api.Accounts;

/// <summary>A connected Google account; <see cref="Status"/> is <c>active</c> or <c>reauth_required</c>.</summary>
public sealed record AccountReply(Guid Id, string Email, string Status, string Scopes)
{
    public static AccountReply From(GoogleAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new(account.Id, account.Email, account.Status, account.Scopes);
    }
}

/// <summary>The Google accounts a person connected: as many as they like, any of them usable in any sync.</summary>
public static class AccountsApi
{
    public static WebApplication MapAccounts(this WebApplication app)
    {
        var accounts = app.MapGroup("/api/accounts").WithTags("Accounts").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        accounts.MapGet("/", ListAsync).WithSummary("The caller's connected Google accounts, with their status.");
        accounts.MapGet("/connect", ConnectAsync)
            .RequireRateLimiting(Hosting.CostlyRequestLimits.PolicyName)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithMetadata(new ChangesStateMetadata())
            .WithSummary("Connects one more Google account: redirects to Google's consent page.")
            .ProducesValidationProblem()
            .WithDescription("`login_hint` (an email) is passed to Google. Connecting an account again refreshes its authorisation.");
        accounts.MapGet("/{id:guid}/reconnect", ReconnectAsync)
            .RequireRateLimiting(Hosting.CostlyRequestLimits.PolicyName)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithMetadata(new ChangesStateMetadata())
            .WithSummary("Authorises an account again (say, after `reauth_required`): redirects to Google for that account.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        accounts.MapDelete("/{id:guid}", RemoveAsync)
            .WithSummary("Disconnects an account and revokes CalSync's access at Google; refused (409) while syncs use it.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        accounts.MapGet("/{id:guid}/calendars", CalendarsAsync)
            .RequireRateLimiting(Hosting.CostlyRequestLimits.PolicyName)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("The account's calendars at Google, with the access it grants (owner, writer, reader, freeBusyReader).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        return app;
    }

    private static async Task<Ok<AccountReply[]>> ListAsync(ClaimsPrincipal user, GoogleAccountStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListForUserAsync(user.GetUserId(), cancellationToken)).Select(AccountReply.From).ToArray());

    private static async Task<Results<RedirectHttpResult, ValidationProblem>> ConnectAsync(
        HttpContext http, ClaimsPrincipal user, SignInFlow flow, string? login_hint, CancellationToken cancellationToken)
    {
        if (SignInFlow.CheckLoginHint(login_hint) is { } problem)
        {
            return problem;
        }
        var url = await flow.BeginAsync(http, PendingLogin.Connect, user.GetUserId(), login_hint, "/api/accounts", cancellationToken);
        return TypedResults.Redirect(url.AbsoluteUri);
    }

    private static async Task<Results<RedirectHttpResult, NotFound>> ReconnectAsync(
        Guid id, HttpContext http, ClaimsPrincipal user, GoogleAccountStore store, SignInFlow flow, CancellationToken cancellationToken)
    {
        var account = await store.GetAsync(id, cancellationToken);
        if (account is null || account.UserId != user.GetUserId())
        {
            return TypedResults.NotFound();
        }
        var url = await flow.BeginAsync(http, PendingLogin.Connect, account.UserId, account.Email, "/api/accounts", cancellationToken);
        return TypedResults.Redirect(url.AbsoluteUri);
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> RemoveAsync(
        Guid id, ClaimsPrincipal user, AccountRemoval removal, CancellationToken cancellationToken) =>
        await removal.RemoveAsync(user.GetUserId(), id, cancellationToken) switch
        {
            AccountRemovalResult.Removed => TypedResults.NoContent(),
            AccountRemovalResult.InUse => TypedResults.Problem(
                title: "Account in use", detail: "Syncs use this account; delete them first (DELETE /api/syncs/{id}).", statusCode: StatusCodes.Status409Conflict),
            AccountRemovalResult.RevokeFailed => TypedResults.Problem(
                title: "Google unreachable", detail: "CalSync's access could not be revoked at Google; nothing was removed. Try again.", statusCode: StatusCodes.Status502BadGateway),
            _ => TypedResults.NotFound(),
        };

    private static async Task<Results<Ok<IReadOnlyList<CalendarReply>>, NotFound, ProblemHttpResult>> CalendarsAsync(
        Guid id, ClaimsPrincipal user, AccountCalendars calendars, CancellationToken cancellationToken)
    {
        var lookup = await calendars.ListAsync(user.GetUserId(), id, cancellationToken);
        if (!lookup.Found)
        {
            return TypedResults.NotFound();
        }
        return lookup.Problem is { } problem
            ? TypedResults.Problem(detail: problem, statusCode: lookup.ProblemStatus)
            : TypedResults.Ok(lookup.Calendars);
    }
}
