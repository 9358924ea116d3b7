using System.Text.Json.Nodes;

namespace CalSync.GoogleEmulator.Api;

/// <summary>settings.list/get: the user's settings with Google's defaults; timezone is the primary calendar's.</summary>
internal static class SettingsApi
{
    private static readonly (string Id, string Value)[] Defaults =
    [
        ("autoAddHangouts", "true"), ("dateFieldOrder", "MDY"), ("defaultEventLength", "60"), ("format24HourTime", "false"),
        ("hideInvitations", "false"), ("hideWeekends", "false"), ("locale", "en"), ("remindOnRespondedEventsOnly", "false"),
        ("showDeclinedEvents", "true"), ("useKeyboardShortcuts", "true"), ("weekStart", "0"),
    ];

    public static ApiResponse List(CallContext ctx) => ApiResponse.Json(200, new JsonObject
    {
        ["kind"] = "calendar#settings",
        ["etag"] = "\"s1\"",
        ["nextSyncToken"] = "c2V0dGluZ3M=",
        ["items"] = new JsonArray([.. All(ctx).Select(s => (JsonNode)Setting(s.Id, s.Value))]),
    });

    public static ApiResponse Get(CallContext ctx) =>
        All(ctx).FirstOrDefault(s => s.Id == ctx.Args[0]) is { Id: not null } found
            ? ApiResponse.Json(200, Setting(found.Id, found.Value))
            : GoogleError.NotFound();

    private static IEnumerable<(string Id, string Value)> All(CallContext ctx) =>
        Defaults.Append(("timezone", ctx.State.Calendars[ctx.Account.Email].TimeZone)).OrderBy(s => s.Item1, StringComparer.Ordinal);

    private static JsonObject Setting(string id, string value) =>
        new() { ["kind"] = "calendar#setting", ["etag"] = "\"s1\"", ["id"] = id, ["value"] = value };
}
