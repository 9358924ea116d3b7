using System.Net;

namespace CalSync.Engine.Google;

/// <summary>
/// Google answered a call with an error status. <see cref="Reason"/> is Google's first error reason
/// (<c>rateLimitExceeded</c>, <c>fullSyncRequired</c>, <c>conditionNotMet</c>, ...). Also used, unthrown,
/// as the error of a failed batch part.
/// </summary>
public sealed class GoogleApiException(
    string method, HttpStatusCode statusCode, string? reason, string? googleMessage, TimeSpan? retryAfter = null)
    : GoogleException($"Google Calendar {method} failed: {(int)statusCode} {reason ?? statusCode.ToString()}: {googleMessage}")
{
    /// <summary>The Calendar method id, e.g. <c>calendar.events.insert</c>.</summary>
    public string Method { get; } = method;

    public HttpStatusCode StatusCode { get; } = statusCode;

    public string? Reason { get; } = reason;

    public string? GoogleMessage { get; } = googleMessage;

    public override TimeSpan? RetryAfter { get; } = retryAfter;

    public override bool IsRetryable => IsTransient(StatusCode, Reason);

    /// <summary>Google's per-user or per-project rate limit (403 or 429 <c>usageLimits</c>).</summary>
    public bool IsRateLimited => IsRateLimit(StatusCode, Reason);

    /// <summary>409 <c>duplicate</c>: an insert's client-chosen id exists already (adopt it).</summary>
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    /// <summary>412: the <c>If-Match</c> etag no longer matches (re-read and re-plan).</summary>
    public bool IsPreconditionFailed => StatusCode == HttpStatusCode.PreconditionFailed;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>410: a sync token expired (<c>fullSyncRequired</c>) or the event was already deleted (<c>deleted</c>).</summary>
    public bool IsGone => StatusCode == HttpStatusCode.Gone;

    /// <summary>Retry classes per Google's guidance: 5xx, 408, 429 and the 403 rate-limit reasons; nothing else.</summary>
    public static bool IsTransient(HttpStatusCode status, string? reason) =>
        (int)status >= 500 || status == HttpStatusCode.RequestTimeout || IsRateLimit(status, reason);

    public static bool IsRateLimit(HttpStatusCode status, string? reason) =>
        status == HttpStatusCode.TooManyRequests
        || (status == HttpStatusCode.Forbidden && reason is GoogleErrorReasons.RateLimitExceeded or GoogleErrorReasons.UserRateLimitExceeded);
}

/// <summary>Error reasons CalSync acts on.</summary>
public static class GoogleErrorReasons
{
    public const string RateLimitExceeded = "rateLimitExceeded";
    public const string UserRateLimitExceeded = "userRateLimitExceeded";
    public const string QuotaExceeded = "quotaExceeded";
    public const string FullSyncRequired = "fullSyncRequired";
    public const string Deleted = "deleted";
    public const string Duplicate = "duplicate";
    public const string ConditionNotMet = "conditionNotMet";
    public const string AuthError = "authError";
    public const string ForbiddenForNonOrganizer = "forbiddenForNonOrganizer";
}
