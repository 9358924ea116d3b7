using System.Security.Claims;
using CalSync.Api.Auth;
using CalSync.Engine.Sync;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;

namespace CalSync.Api.Syncs;

/// <summary>Syncs: which calendar is copied where, how, and when. A person's syncs are theirs alone; others' ids answer 404.</summary>
public static class SyncsApi
{
    // Most people have a handful of syncs: the default page holds them all, as the list always did.
    private static readonly PageLimit Pages = new(Default: 100, Max: 500);

    public static IHostApplicationBuilder AddSyncs(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<SyncCalendarCheck>();
        builder.Services.AddOptions<ScheduleRuleOptions>()
            .BindConfiguration(ScheduleRuleOptions.SectionName)
            .Validate(o => o.MinimumInterval >= TimeSpan.FromMinutes(1) && o.MinimumInterval <= TimeSpan.FromDays(1), "Schedules:MinimumInterval is from 00:01:00 to 1.00:00:00.")
            .ValidateOnStart();
        builder.Services.Configure<OpenApiOptions>("v1", o => o.AddWireValues());
        return builder;
    }

    public static WebApplication MapSyncs(this WebApplication app)
    {
        var syncs = app.MapGroup("/api/syncs").WithTags("Syncs").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        syncs.AddEndpointFilter<Webhooks.SyncPushStatusFilter>();
        syncs.MapPost("/", CreateAsync)
            .RequireRateLimiting(Hosting.CostlyRequestLimits.PolicyName)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Creates a sync between two calendars of the caller's accounts.")
            .WithDescription("The calendars are checked at Google: they must be in the accounts' calendar lists, the target (and, two-way, the source) writable, and not the same calendar. `primary` is stored as the primary calendar's id. Each invalid field is a key of the 400's `errors`.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status502BadGateway);
        syncs.MapGet("/", ListAsync)
            .WithSummary("The caller's syncs, oldest first: `limit` (default 100, at most 500) per page, `after=<syncId>` for the page after that sync.")
            .WithDescription("When there are more, a `Link: <...>; rel=\"next\"` header gives the next page's URL; a sync deleted meanwhile still marks its place. An `after` that is not one of the caller's syncs gives an empty page.")
            .ProducesValidationProblem();
        syncs.MapGet("/{id:guid}", GetAsync).WithSummary("One sync.").ProducesProblem(StatusCodes.Status404NotFound);
        syncs.MapPatch("/{id:guid}", PatchAsync)
            .RequireRateLimiting(Hosting.CostlyRequestLimits.PolicyName)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Changes a sync: a JSON merge patch (RFC 7396), validated as a whole; source, target and direction cannot change.")
            .Accepts<SyncPatch>("application/merge-patch+json", "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        syncs.MapDelete("/{id:guid}", SyncDeleteHandler.DeleteAsync)
            .WithSummary("Deletes a sync. `removeCopies=true` also deletes the copies it made: 202 with the run that does it.")
            .WithDescription("The sync stops at once: its queued runs end and its schedule goes; its runs stay readable. Without `removeCopies` " +
                "(default false) the copies stay in the calendars as ordinary events. With it, a worker deletes every copy this sync made " +
                "(found by the sync's marker at Google) and nothing else; follow the returned run to see them go.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<SyncReply>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        SyncBody body, ClaimsPrincipal user, SyncCalendarCheck calendars, SyncStore store, TimeProvider time, IOptions<ScheduleRuleOptions> rules,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (SyncRules.Check(body, time.GetUtcNow(), rules.Value.MinimumInterval, errors) is not { } settings)
        {
            return errors.ToProblem();
        }
        var userId = user.GetUserId();
        var checkedCalendars = await calendars.CheckAsync(userId, settings, errors, cancellationToken);
        if (checkedCalendars.Unavailable is { } unavailable)
        {
            return TypedResults.Problem(title: "Google unavailable", detail: unavailable, statusCode: StatusCodes.Status502BadGateway);
        }
        if (checkedCalendars.Settings is null)
        {
            return errors.ToProblem();
        }
        var (sync, goneAccountField) = await store.CreateAsync(userId, checkedCalendars.Settings, cancellationToken);
        if (sync is null)
        {
            errors.Add(goneAccountField!, "This account was disconnected meanwhile.");
            return errors.ToProblem();
        }
        return TypedResults.Created($"/api/syncs/{sync.Id}", SyncReply.From(sync));
    }

    private static async Task<Results<Ok<SyncReply[]>, ValidationProblem>> ListAsync(
        int? limit, Guid? after, ClaimsPrincipal user, SyncStore store, HttpResponse response, CancellationToken cancellationToken)
    {
        if (Pages.Take(limit) is not { } take)
        {
            return Pages.Problem();
        }
        var page = await store.ListAsync(user.GetUserId(), after, take + 1, cancellationToken);
        if (page.Count > take)
        {
            page = [.. page.Take(take)];
            response.Headers.Link = $"</api/syncs?limit={take}&after={page[^1].Id}>; rel=\"next\"";
        }
        return TypedResults.Ok(page.Select(SyncReply.From).ToArray());
    }

    private static async Task<Results<Ok<SyncReply>, NotFound>> GetAsync(Guid id, ClaimsPrincipal user, SyncStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(user.GetUserId(), id, cancellationToken) is { } sync ? TypedResults.Ok(SyncReply.From(sync)) : TypedResults.NotFound();

    private static async Task<Results<Ok<SyncReply>, ValidationProblem, NotFound>> PatchAsync(
        Guid id, SyncPatch patch, ClaimsPrincipal user, SyncStore store, TimeProvider time, IOptions<ScheduleRuleOptions> rules,
        CancellationToken cancellationToken)
    {
        // Ownership first (the store reads only the caller's row): another person's id is a 404 whatever the patch says.
        var errors = new FieldErrors();
        var edit = await store.UpdateAsync(
            user.GetUserId(), id, current => SyncPatching.Apply(current, patch, time.GetUtcNow(), rules.Value.MinimumInterval, errors), cancellationToken);
        return edit switch
        {
            { Sync: { } sync } => TypedResults.Ok(SyncReply.From(sync)),
            { Refused: true } => errors.ToProblem(),
            _ => TypedResults.NotFound(),
        };
    }
}
