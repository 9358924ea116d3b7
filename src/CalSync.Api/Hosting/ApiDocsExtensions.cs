using Scalar.AspNetCore;

namespace CalSync.Api.Hosting;

public static class ApiDocsExtensions
{
    public static IHostApplicationBuilder AddApiDocs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CalSync API";
            document.Info.Description = "Keeps Google calendars in sync, one-way or two-way, across every Google account a person connects.";
            return Task.CompletedTask;
        }));
        builder.Services.AddProblemDetails();
        return builder;
    }

    /// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and an interactive reference at <c>/docs</c>.</summary>
    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", options => options.WithTitle("CalSync API"));
        return app;
    }
}
