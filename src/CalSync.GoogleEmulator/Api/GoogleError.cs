using System.Text.Json.Nodes;

namespace CalSync.GoogleEmulator.Api;

/// <summary>Google's error envelope (https://developers.google.com/calendar/api/guides/errors); the factory methods carry Google's reasons and messages.</summary>
internal static class GoogleError
{
    public static ApiResponse Create(int code, string domain, string reason, string message,
        string? location = null, string? locationType = null, string? topMessage = null, string? status = null)
    {
        var single = new JsonObject { ["domain"] = domain, ["reason"] = reason, ["message"] = message };
        if (locationType is not null)
        {
            single["locationType"] = locationType;
        }

        if (location is not null)
        {
            single["location"] = location;
        }

        var error = new JsonObject
        {
            ["errors"] = new JsonArray(single),
            ["code"] = code,
            ["message"] = topMessage ?? message,
        };
        if (status is not null)
        {
            error["status"] = status;
        }

        return ApiResponse.Json(code, new JsonObject { ["error"] = error });
    }

    public static ApiResponse NotFound() => Create(404, "global", "notFound", "Not Found");

    public static ApiResponse Unauthorized() => Create(401, "global", "authError", "Invalid Credentials",
        "Authorization", "header",
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
        "UNAUTHENTICATED");

    public static ApiResponse InsufficientPermissions() => Create(403, "global", "insufficientPermissions",
        "Insufficient Permission", topMessage: "Request had insufficient authentication scopes.", status: "PERMISSION_DENIED");

    // ❓ reason/message not documented by Google; this is what Google is widely reported to send.
    public static ApiResponse WriterAccessRequired() => Create(403, "calendar", "requiredAccessLevel",
        "You need to have writer access to this calendar.");

    // ❓ reason recalled from Google's Calendar errors; message chosen.
    public static ApiResponse CannotChangeOwnAcl() => Create(403, "calendar", "cannotChangeOwnAcl", "Cannot change your own access level.");

    // ⚠️ reason and message as captured from Google for a guest's change to its copy.
    public static ApiResponse ForbiddenForNonOrganizer() => Create(403, "calendar", "forbiddenForNonOrganizer",
        "Shared properties can only be changed by the organizer of the event.");

    public static ApiResponse Forbidden() => Create(403, "global", "forbidden", "Forbidden");

    public static ApiResponse BadRequest(string message = "Bad Request") => Create(400, "global", "badRequest", message);

    public static ApiResponse Invalid(string message, string? parameter = null) =>
        Create(400, "global", "invalid", message, parameter, parameter is null ? null : "parameter");

    public static ApiResponse Required(string message, string? parameter = null) =>
        Create(400, "global", "required", message, parameter, parameter is null ? null : "parameter");

    public static ApiResponse ParseError() => Create(400, "global", "parseError", "Parse Error");

    public static ApiResponse InvalidId() => Invalid("Invalid resource id value.");

    public static ApiResponse Duplicate() => Create(409, "global", "duplicate", "The requested identifier already exists.");

    public static ApiResponse FullSyncRequired() => Create(410, "calendar", "fullSyncRequired",
        "Sync token is no longer valid, a full sync is required.", "syncToken", "parameter");

    // ⚠️ message recalled, not confirmed.
    public static ApiResponse Deleted() => Create(410, "calendar", "deleted", "Resource has been deleted");

    // ⚠️ reason/message from captures.
    public static ApiResponse ConditionNotMet() => Create(412, "global", "conditionNotMet", "Precondition Failed", "If-Match", "header");

    public static ApiResponse TimeRangeEmpty(string? location = "timeMax") => Create(400, "calendar", "timeRangeEmpty",
        "The specified time range is empty.", location, location is null ? null : "parameter");

    public static ApiResponse OrderingNotAvailable() => Create(400, "global", "invalid",
        "The requested ordering is not available for the particular query.", "orderBy", "parameter");

    public static ApiResponse RateLimited(int code) => Create(code, "usageLimits", "rateLimitExceeded", "Rate Limit Exceeded");

    public static ApiResponse UserRateLimited(int code) => Create(code, "usageLimits", "userRateLimitExceeded", "User Rate Limit Exceeded");

    public static ApiResponse BackendError(int code) => Create(code, "global", "backendError", "Backend Error");
}
