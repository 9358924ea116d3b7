using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CalSync.Api.Hosting;

/// <summary>Request limits (environment: <c>Requests__MaxBodyBytes</c>).</summary>
public sealed class RequestLimitOptions
{
    public const string SectionName = "Requests";

    /// <summary>The largest request body read, in bytes; the API's bodies are a few hundred. Default 64 KB.</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 64 * 1024;
}

/// <summary>
/// Refuses a body over <see cref="RequestLimitOptions.MaxBodyBytes"/> with 413 before anything reads it: at once when
/// Content-Length says so, and otherwise (a chunked body) when reading passes the limit, which the server enforces and
/// <see cref="BadRequestProblems"/> words.
/// </summary>
public sealed class BodySizeLimit(RequestDelegate next, IOptions<RequestLimitOptions> options, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var max = options.Value.MaxBodyBytes;
        if (http.Request.ContentLength > max)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails =
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "Request body too large",
                    Detail = $"Request bodies are limited to {max} bytes.",
                },
            });
            return;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }
        await next(http);
    }
}
