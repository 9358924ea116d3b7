using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CalSync.Api.Hosting;

public static class RequestExtensions
{
    /// <summary>
    /// Strict request bodies: at most 64 KB (<see cref="BodySizeLimit"/>), unknown JSON fields are refused, and a body that cannot be read answers 400 problem
    /// details naming the field, never a 500. Handlers validate what they read and name fields in camelCase.
    /// </summary>
    public static IHostApplicationBuilder AddApiRequests(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.TypeInfoResolver = (o.SerializerOptions.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
                .WithAddedModifier(PlainText.RefuseInStrings);
        });
        // Always throw on unreadable input (the default only does so in Development) so one handler words the answer.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestProblems>();
        builder.Services.AddOptions<RequestLimitOptions>()
            .BindConfiguration(RequestLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }
}
