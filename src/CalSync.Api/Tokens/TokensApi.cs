using System.Security.Claims;
using CalSync.Api.Auth;
using CalSync.Engine.People;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalSync.Api.Tokens;

/// <summary>Body of <c>POST /api/tokens</c>.</summary>
public sealed record CreateTokenRequest
{
    /// <summary>What the token is for, e.g. "backup script" (1–100 characters).</summary>
    public required string Name { get; init; }

    /// <summary>
    /// When the token stops working (in the future); left out: never. A token created with a token that expires
    /// cannot outlive it: left out, it gets that token's expiry, and a later one is refused.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>A token just created: <see cref="Token"/> is the secret, shown this once.</summary>
public sealed record CreatedTokenReply(Guid Id, string Name, string Token, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>Personal access tokens for scripts: <c>Authorization: Bearer csk_…</c>.</summary>
public static class TokensApi
{
    public static WebApplication MapTokens(this WebApplication app)
    {
        var tokens = app.MapGroup("/api/tokens").WithTags("Access tokens").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        tokens.MapPost("/", CreateAsync)
            .RequireRateLimiting(Hosting.CostlyRequestLimits.PolicyName)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Creates a personal access token; the secret is in this answer only.")
            .ProducesValidationProblem();
        tokens.MapGet("/", ListAsync).WithSummary("The caller's tokens (never their secrets).");
        tokens.MapDelete("/{id:guid}", RevokeAsync).WithSummary("Revokes a token at once.");
        return app;
    }

    private static async Task<Results<Created<CreatedTokenReply>, ValidationProblem>> CreateAsync(
        CreateTokenRequest body, ClaimsPrincipal user, AccessTokenStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var name = body.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            errors["name"] = ["The name must be 1 to 100 characters, not blank."];
        }
        // A token must not extend its own life by minting a longer-lived one.
        var ceiling = user.GetTokenExpiry();
        var expiresAt = body.ExpiresAt ?? ceiling;
        if (expiresAt <= time.GetUtcNow())
        {
            errors["expiresAt"] = ["An expiry must be in the future (or left out: no expiry)."];
        }
        else if (expiresAt > ceiling)
        {
            errors["expiresAt"] = [$"The token this request uses expires at {ceiling:O}; a token it creates cannot outlive it."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The request is not valid.");
        }
        var (token, secret) = await store.CreateAsync(user.GetUserId(), name, expiresAt, cancellationToken);
        return TypedResults.Created($"/api/tokens/{token.Id}", new CreatedTokenReply(token.Id, token.Name, secret, token.Prefix, token.CreatedAt, token.ExpiresAt));
    }

    private static async Task<Ok<IReadOnlyList<AccessToken>>> ListAsync(ClaimsPrincipal user, AccessTokenStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(user.GetUserId(), cancellationToken));

    private static async Task<Results<NoContent, NotFound>> RevokeAsync(Guid id, ClaimsPrincipal user, AccessTokenStore store, CancellationToken cancellationToken) =>
        await store.RevokeAsync(user.GetUserId(), id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
}
