using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace CalSync.Api.Hosting;

/// <summary>
/// Turns a request the framework could not bind (malformed JSON, a wrong type, an unknown or missing field) into
/// a 400 validation problem whose error key is the offending field, e.g. <c>source.accountId</c>.
/// </summary>
public sealed partial class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }
        var (field, message) = Describe(bad);
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
            {
                Status = bad.StatusCode,
                Title = "The request is not valid.",
                Detail = $"{field}: {message}",
            },
            Exception = exception,
        });
    }

    private static (string Field, string Message) Describe(BadHttpRequestException bad)
    {
        if (bad.InnerException is not JsonException json)
        {
            return ("body", bad.Message);
        }
        var message = TypeName().Replace(json.Message.Split(" Path:", 2)[0], "this object");
        // A missing or unknown member is reported at the object; name the member itself.
        if (MemberName().Match(json.Message) is { Success: true } member)
        {
            return (FieldName(json.Path, member.Groups[1].Value), message);
        }
        return (FieldName(json.Path, null), message);
    }

    private static string FieldName(string? path, string? member)
    {
        var field = (path ?? "$").TrimStart('$').TrimStart('.');
        // An unknown member's path already ends with it; a missing required member's path stops at its object.
        if (member is not null && field != member && !field.EndsWith("." + member, StringComparison.Ordinal))
        {
            field = field.Length == 0 ? member : $"{field}.{member}";
        }
        return field.Length == 0 ? "body" : field;
    }

    [GeneratedRegex(@"type '[^']*'")]
    private static partial Regex TypeName();

    [GeneratedRegex(@"(?:JSON property|required properties including:) '([^']+)'")]
    private static partial Regex MemberName();
}
