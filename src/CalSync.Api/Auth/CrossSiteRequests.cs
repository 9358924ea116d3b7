using Microsoft.Extensions.Options;

namespace CalSync.Api.Auth;

/// <summary>Marks a GET that changes something (it starts an OAuth login), so it is checked like a POST.</summary>
public sealed class ChangesStateMetadata;

/// <summary>
/// Refuses, with 403, a request a browser sent from another origin on the strength of the session cookie: any unsafe
/// method, and GETs marked <see cref="ChangesStateMetadata"/>. SameSite=Lax does not suffice, because every port of a
/// host is the same site, so the full origin (scheme, host and port) must be this Api's: <c>SignIn:PublicUrl</c>, or
/// else the request's own. <c>Sec-Fetch-Site</c> decides when a browser sends it (<c>same-origin</c>, or <c>none</c>
/// for an address the person typed), else <c>Origin</c>. A request with neither comes from no browser (curl with a
/// cookie jar, scripts), since browsers send one of them on every cross-origin unsafe request; it is let through.
/// Requests with an <c>Authorization</c> header carry no ambient credential and are not checked.
/// </summary>
public sealed class CrossSiteRequests(RequestDelegate next, IOptions<SignInOptions> options, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = http.Request;
        var checkedRequest = !request.Headers.ContainsKey("Authorization")
            && request.Cookies.ContainsKey(CalSyncAuthentication.SessionCookie)
            && (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
                || http.GetEndpoint()?.Metadata.GetMetadata<ChangesStateMetadata>() is not null);
        if (!checkedRequest || IsSameOrigin(request))
        {
            await next(http);
            return;
        }
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Cross-site request refused",
                Detail = "A page on another origin cannot act with this browser's CalSync session.",
            },
        });
    }

    private bool IsSameOrigin(HttpRequest request)
    {
        if (request.Headers["Sec-Fetch-Site"] is { Count: > 0 } site)
        {
            return site.ToString() is "same-origin" or "none";
        }
        if (request.Headers.Origin is { Count: > 0 } origin)
        {
            var own = options.Value.PublicUrl?.GetLeftPart(UriPartial.Authority) ?? $"{request.Scheme}://{request.Host}";
            return Uri.TryCreate(origin.ToString(), UriKind.Absolute, out var sent)
                && string.Equals(sent.GetLeftPart(UriPartial.Authority), new Uri(own).GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
        }
        return true;
    }
}
