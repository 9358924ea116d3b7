using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace CalSync.Dashboard.Tests;

/// <summary>A fault behind every endpoint of the test Api: a request that reaches the end of the pipeline at <see cref="Path"/> throws.</summary>
public sealed class PlantedFault : IStartupFilter
{
    public const string Path = "/planted-fault";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Use((http, tail) => http.Request.Path == Path
            ? throw new InvalidOperationException("a secret detail of a planted fault")
            : tail(http));
    };
}
