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
