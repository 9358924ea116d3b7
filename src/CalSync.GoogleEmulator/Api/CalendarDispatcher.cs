using CalSync.GoogleEmulator.Faults;
using CalSync.GoogleEmulator.Push;
using CalSync.GoogleEmulator.Stats;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Api;

/// <summary>
/// Runs one Calendar call: route, authenticate, count, apply quota and faults, check scopes, then the
/// handler under the state lock. HTTP requests and batch parts both come through here.
/// </summary>
internal sealed partial class CalendarDispatcher(EmulatorState state, FaultInjector faults, CallStats stats, PushNotifier notifier,
    ILogger<CalendarDispatcher> logger)
{
    public const string Prefix = "/calendar/v3/";

    private readonly IReadOnlyList<CalendarRoute> _routes = CalendarRoutes.Build(notifier);

    /// <summary>The account a request's bearer token (or oauth_token parameter) belongs to.</summary>
    public string? Authenticate(ApiRequest request)
    {
        if (ExtractToken(request) is not { } token)
        {
            return null;
        }

        lock (state.Gate)
        {
            return state.AccessTokens.TryGetValue(token, out var access) && access.ExpiresAt > state.Now && state.Accounts.ContainsKey(access.Email)
                ? access.Email
                : null;
        }
    }

    public ApiResponse Handle(ApiRequest request)
    {
        if (!request.Path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return GoogleError.NotFound();
        }

        // Clients percent-encode path parameters (a%40b.com): decode each segment on its own.
        var segments = request.Path[Prefix.Length..].Split('/').Select(Uri.UnescapeDataString).ToList();
        CalendarRoute? route = null;
        List<string> args = [];
        foreach (var candidate in _routes)
        {
            if (candidate.TryMatch(request.Method, segments, out args))
            {
                route = candidate;
                break;
            }
        }

        if (route is null)
        {
            return GoogleError.NotFound();
        }

        if (Authenticate(request) is not { } email)
        {
            return GoogleError.Unauthorized();
        }

        stats.CountCall(email, route.MethodId, TimeSpan.FromSeconds(faults.Settings.QuotaWindowSeconds));
        if (faults.Check(email) is { } fault)
        {
            if (fault.QuotaSpent)
            {
                stats.CountRateLimited(email);
            }

            return fault.Response;
        }

        lock (state.Gate)
        {
            var token = ExtractToken(request);
            if (token is null || !state.AccessTokens.TryGetValue(token, out var access) || !state.Accounts.TryGetValue(email, out var account))
            {
                return GoogleError.Unauthorized();
            }

            if (!access.Scopes.Any(route.Scopes.Contains))
            {
                return GoogleError.InsufficientPermissions();
            }

            try
            {
                return SelectFields(request, route.Handler(new CallContext(request, account, state, args, faults.Settings)));
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException)
            {
                // A bug, not a client error: answer as Google does for its own failures and keep serving.
                LogHandlerFailed(logger, route.MethodId, ex);
                return GoogleError.BackendError(500);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} failed inside the emulator")]
    private static partial void LogHandlerFailed(ILogger logger, string method, Exception exception);

    private static ApiResponse SelectFields(ApiRequest request, ApiResponse response)
    {
        if (request.Query["fields"] is not { Length: > 0 } fields || response.Status != 200 || response.Body is null)
        {
            return response;
        }

        if (FieldSelector.Parse(fields) is not { } selector)
        {
            return GoogleError.Create(400, "global", "invalidParameter", $"Invalid field selection {fields}", "fields", "parameter");
        }

        return response with { Body = GoogleJson.ToUtf8(selector.Apply(System.Text.Json.Nodes.JsonNode.Parse(response.Body))!) };
    }

    private static string? ExtractToken(ApiRequest request)
    {
        var header = request.Header("Authorization");
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : request.Query["oauth_token"];
    }
}
