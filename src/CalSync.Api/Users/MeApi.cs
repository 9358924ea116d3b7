using System.Security.Claims;
using CalSync.Api.Auth;
using CalSync.Engine.People;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalSync.Api.Users;

/// <summary>The signed-in user.</summary>
public sealed record MeReply(Guid Id, string Email, string Name, DateTimeOffset CreatedAt, string AuthenticatedBy);

public static class MeApi
{
    public static WebApplication MapMe(this WebApplication app)
    {
        app.MapGet("/api/me", GetAsync)
            .WithTags("Sign-in")
            .WithSummary("Who is signed in, and how (browser session or access token).")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    private static async Task<Results<Ok<MeReply>, NotFound>> GetAsync(ClaimsPrincipal principal, UserStore users, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(principal.GetUserId(), cancellationToken);
        return user is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new MeReply(user.Id, user.Email, user.DisplayName, user.CreatedAt, principal.FindFirstValue(UserClaims.MethodClaim) ?? ""));
    }
}
