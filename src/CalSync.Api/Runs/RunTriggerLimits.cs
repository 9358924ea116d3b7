using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using CalSync.Api.Auth;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CalSync.Api.Runs;

/// <summary>How often one person may ask for runs (environment: <c>RunTriggers__PermitsPerMinute</c>).</summary>
public sealed class RunTriggerLimitOptions
{
    public const string SectionName = "RunTriggers";

    /// <summary>Sustained rate, and also the burst a person may spend at once.</summary>
    [Range(1, 6000)]
    public int PermitsPerMinute { get; set; } = 30;
}

/// <summary>
/// A token bucket per user on run triggers: each run costs workers and Google quota, and a script in a loop
/// should meet a 429 with Retry-After rather than queue work nobody reads.
/// </summary>
public static class RunTriggerLimits
{
    public const string PolicyName = "run-triggers";

    public static IServiceCollection AddRunTriggerLimits(this IServiceCollection services)
    {
        services.AddOptions<RunTriggerLimitOptions>()
            .BindConfiguration(RunTriggerLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            SignInLimits.AddPolicy(limiter);
            limiter.AddPolicy(PolicyName, http =>
            {
                var permits = http.RequestServices.GetRequiredService<IOptions<RunTriggerLimitOptions>>().Value.PermitsPerMinute;
                // Behind RequireAuthorization the user is known; the fallback key only keeps a misconfiguration from throwing.
                var userId = http.User.FindFirst(UserClaims.UserIdClaim)?.Value ?? "anonymous";
                return RateLimitPartition.GetTokenBucketLimiter(userId, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = permits,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1) / permits,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
        return services;
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        var http = context.HttpContext;
        // One rejection handler serves every policy: say which limit was met.
        var signIn = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == SignInLimits.PolicyName;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = signIn ? "Too many sign-in attempts" : "Too many run requests",
                Detail = signIn ? $"Sign-ins are limited per address; try again in {seconds} s." : $"Runs are limited per person; try again in {seconds} s.",
            },
        });
    }
}
