using System.ComponentModel.DataAnnotations;
using CalSync.Api.Hosting;
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

    public static IServiceCollection AddRunTriggerLimitOptions(this IServiceCollection services)
    {
        services.AddOptions<RunTriggerLimitOptions>()
            .BindConfiguration(RunTriggerLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    public static void AddPolicy(RateLimiterOptions limiter) =>
        limiter.AddPerPersonPolicy(PolicyName, services => services.GetRequiredService<IOptions<RunTriggerLimitOptions>>().Value.PermitsPerMinute);
}
