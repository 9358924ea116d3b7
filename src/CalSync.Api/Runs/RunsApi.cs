using System.Security.Claims;
using CalSync.Api.Auth;
using CalSync.Api.Syncs;
using CalSync.Engine.Runs;
using CalSync.Engine.Sync;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace CalSync.Api.Runs;

/// <summary>Runs of a sync: asking for one, its history, and what each run changed. Another person's ids answer 404.</summary>
public static class RunsApi
{
    private static readonly PageLimit RunPages = new(Default: 20, Max: 100);
    private static readonly PageLimit ChangePages = new(Default: 100, Max: 1000);

    public static IHostApplicationBuilder AddRuns(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<RunHistory>();
        builder.Services.AddRunTriggerLimitOptions();
        return builder;
    }

    public static WebApplication MapRuns(this WebApplication app)
    {
        // 404 is declared per route: an endpoint's own NotFound result would hide a group's problem schema.
        var syncRuns = app.MapGroup("/api/syncs/{id:guid}/runs").WithTags("Runs").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        syncRuns.MapPost("/", TriggerAsync)
            .WithSummary("Asks for a run now (inactive syncs too: `active` only governs the schedule); a run already waiting is returned instead.")
            .WithDescription("The body is optional. Limited per person (`RunTriggers:PermitsPerMinute`, default 30): past it, 429 with Retry-After.")
            .RequireRateLimiting(RunTriggerLimits.PolicyName)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        syncRuns.MapGet("/", ListAsync)
            .WithSummary("The sync's runs, newest first: `limit` (default 20, at most 100) per page, `before=<runId>` for the page after that run.")
            .WithDescription("When there are more, a `Link: <...>; rel=\"next\"` header gives the next page's URL. A `before` that is not a run of this sync gives an empty page.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var runs = app.MapGroup("/api/runs").WithTags("Runs").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        runs.MapGet("/{id:guid}", GetAsync).WithSummary("One run: its status, counts, Google calls and error.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapGet("/{id:guid}/changes", ChangesAsync)
            .WithSummary("What the run changed, in order: `limit` (default 100, at most 1000) per page; the `Link` rel=\"next\" header gives the next page (`after=<n>`: the number of the run's changes already read).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Accepted<RunQueuedReply>, NotFound>> TriggerAsync(
        Guid id, TriggerRunRequest? body, ClaimsPrincipal user, SyncStore syncs, RunRequester requester, CancellationToken cancellationToken)
    {
        if (await syncs.GetAsync(user.GetUserId(), id, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }
        try
        {
            var run = await requester.RequestAsync(
                id, RunTrigger.Manual, body?.FullResync ?? false, body?.DryRun ?? false, body?.ConfirmDeletes ?? false, cancellationToken);
            return TypedResults.Accepted($"/api/runs/{run.Id}", new RunQueuedReply(run.Id, run.Status));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return TypedResults.NotFound(); // Deleted between the check and the insert.
        }
    }

    private static async Task<Results<Ok<RunReply[]>, NotFound, ValidationProblem>> ListAsync(
        Guid id, int? limit, Guid? before, ClaimsPrincipal user, SyncStore syncs, RunHistory history, HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (RunPages.Take(limit) is not { } take)
        {
            return RunPages.Problem();
        }
        if (await syncs.GetAsync(user.GetUserId(), id, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }
        var page = await history.ListAsync(id, before, take + 1, cancellationToken);
        if (page.Count > take)
        {
            page = [.. page.Take(take)];
            response.Headers.Link = $"</api/syncs/{id}/runs?limit={take}&before={page[^1].Id}>; rel=\"next\"";
        }
        return TypedResults.Ok(page.Select(RunReply.From).ToArray());
    }

    private static async Task<Results<Ok<RunReply>, NotFound>> GetAsync(Guid id, ClaimsPrincipal user, RunHistory history, CancellationToken cancellationToken) =>
        await history.GetAsync(user.GetUserId(), id, cancellationToken) is { } run ? TypedResults.Ok(RunReply.From(run)) : TypedResults.NotFound();

    private static async Task<Results<Ok<RunChangeReply[]>, NotFound, ValidationProblem>> ChangesAsync(
        Guid id, int? limit, long? after, ClaimsPrincipal user, RunHistory history, HttpResponse response, CancellationToken cancellationToken)
    {
        if (ChangePages.Take(limit) is not { } take)
        {
            return ChangePages.Problem();
        }
        if (await history.GetAsync(user.GetUserId(), id, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }
        var page = await history.ChangesAsync(id, Math.Max(0, after ?? 0), take + 1, cancellationToken);
        if (page.Count > take)
        {
            page = [.. page.Take(take)];
            response.Headers.Link = $"</api/runs/{id}/changes?limit={take}&after={page[^1].Position}>; rel=\"next\"";
        }
        return TypedResults.Ok(page.Select(c => RunChangeReply.From(c.Change)).ToArray());
    }
}
