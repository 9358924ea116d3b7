using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CalSync.Api.Auth;

/// <summary>
/// A token bucket per client address on starting and finishing sign-ins: anyone may call them, and each start
/// stores a pending login, so a loop meets a 429 instead of filling the table. Generous for people:
/// <see cref="SignInOptions.AttemptsPerMinute"/> (default 30).
/// </summary>
public static class SignInLimits
{
    public const string PolicyName = "sign-in";

    public static void AddPolicy(RateLimiterOptions limiter)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        limiter.AddPolicy(PolicyName, http =>
        {
            var permits = http.RequestServices.GetRequiredService<IOptions<SignInOptions>>().Value.AttemptsPerMinute;
            return RateLimitPartition.GetTokenBucketLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = permits,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1) / permits,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
    }
}
