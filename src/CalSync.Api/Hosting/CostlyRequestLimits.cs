using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CalSync.Api.Hosting;

/// <summary>How many costly requests one person may make (environment: <c>CostlyRequests__PermitsPerMinute</c>).</summary>
public sealed class CostlyRequestLimitOptions
{
    public const string SectionName = "CostlyRequests";

    /// <summary>Sustained rate, and also the burst a person may spend at once.</summary>
    [Range(1, 6000)]
    public int PermitsPerMinute { get; set; } = 30;
}

/// <summary>
/// One token bucket per person shared by the requests that spend Google quota or store rows: creating and patching
/// syncs (both ask Google about the calendars), listing an account's calendars, creating tokens, and connecting or
/// reconnecting accounts (each stores a pending login). A script in a loop meets a 429 instead of spending the
/// project's quota or filling tables.
/// </summary>
public static class CostlyRequestLimits
{
    public const string PolicyName = "costly";

    public static IServiceCollection AddCostlyRequestLimitOptions(this IServiceCollection services)
    {
        services.AddOptions<CostlyRequestLimitOptions>()
            .BindConfiguration(CostlyRequestLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    public static void AddPolicy(RateLimiterOptions limiter) =>
        limiter.AddPerPersonPolicy(PolicyName, services => services.GetRequiredService<IOptions<CostlyRequestLimitOptions>>().Value.PermitsPerMinute);
}
