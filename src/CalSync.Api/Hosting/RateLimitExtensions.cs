using System.Globalization;
using System.Threading.RateLimiting;
using CalSync.Api.Auth;
using CalSync.Api.Runs;
using Microsoft.AspNetCore.RateLimiting;

namespace CalSync.Api.Hosting;

public static class RateLimitExtensions
{
    /// <summary>
    /// The Api's rate limits, one policy per feature (run triggers and costly requests per person, sign-ins per address), and one
    /// answer past any of them: 429 with Retry-After and a problem body naming the limit met.
    /// </summary>
    public static IHostApplicationBuilder AddApiRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            RunTriggerLimits.AddPolicy(limiter);
            SignInLimits.AddPolicy(limiter);
            CostlyRequestLimits.AddPolicy(limiter);
        });
        builder.Services.AddCostlyRequestLimitOptions();
        return builder;
    }

    /// <summary>
    /// A token bucket per signed-in person, <paramref name="permitsPerMinute"/> sustained and as the burst; the policies
    /// that limit what one person may do (run triggers, costly requests) share it.
    /// </summary>
    public static void AddPerPersonPolicy(this RateLimiterOptions limiter, string policyName, Func<IServiceProvider, int> permitsPerMinute)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        limiter.AddPolicy(policyName, http =>
        {
            var permits = permitsPerMinute(http.RequestServices);
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
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        var http = context.HttpContext;
        var (title, limited) = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName switch
        {
            SignInLimits.PolicyName => ("Too many sign-in attempts", "Sign-ins are limited per address"),
            CostlyRequestLimits.PolicyName => ("Too many requests", "Requests that call Google or store data are limited per person"),
            _ => ("Too many run requests", "Runs are limited per person"),
        };
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (Dashboard.ErrorPages.WantsLimitPage(http))
        {
            // A browser gets the dashboard's page in words for the status (and keeps Retry-After).
            return;
        }
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = title,
                Detail = $"{limited}; try again in {seconds} s.",
            },
        });
    }
}
