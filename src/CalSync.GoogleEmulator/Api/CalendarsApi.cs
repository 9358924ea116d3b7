using System.Globalization;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Api;

/// <summary>calendarList.list/get and calendars.get.</summary>
internal static class CalendarsApi
{
    private static readonly string[] RoleOrder = ["freeBusyReader", "reader", "writer", "owner"];

    public static ApiResponse ListCalendarList(CallContext ctx)
    {
        var q = ctx.Query;
        var maxResults = 100;
        if (q["maxResults"] is { } m && (!int.TryParse(m, CultureInfo.InvariantCulture, out maxResults) || maxResults < 1))
        {
            return GoogleError.Invalid($"Invalid value '{m}'. Values must be within the range: [1, 250]", "maxResults");
        }

        maxResults = Math.Min(maxResults, 250);
        var minRole = q["minAccessRole"];
        if (q["syncToken"] is not null && minRole is not null)
        {
            return GoogleError.Invalid("Sync token cannot be used with other request restrictions.", "minAccessRole");
        }

        long since = -1;
        if (q["syncToken"] is { } token
            && (!ListTokens.TryReadSyncToken(token, "calendarList:" + ctx.Account.Email, out _, out since) || since > ctx.Account.CalendarListSeq))
        {
            return GoogleError.FullSyncRequired();
        }

        var minIndex = minRole is null ? 0 : Array.IndexOf(RoleOrder, minRole);
        if (minIndex < 0)
        {
            return GoogleError.Invalid($"Invalid value for: {minRole} is not a valid value", "minAccessRole");
        }

        var entries = ctx.Account.CalendarList
            .Where(kv => kv.Value > since && ctx.State.Calendars.ContainsKey(kv.Key))
            .Select(kv => ctx.State.Calendars[kv.Key])
            .Select(c => (Calendar: c, Role: c.AccessRole(ctx.Account.Email)))
            .Where(x => x.Role is not null && Array.IndexOf(RoleOrder, x.Role) >= minIndex)
            .OrderByDescending(x => x.Calendar.IsPrimary).ThenBy(x => ctx.Account.CalendarList[x.Calendar.Id])
            .ToList();

        var offset = 0;
        if (q["pageToken"] is { } pt && !ListTokens.TryReadPageToken(pt, out offset, out _))
        {
            return GoogleError.Invalid("Invalid page token value.", "pageToken");
        }

        var page = entries.Skip(offset).Take(maxResults).ToList();
        var result = new JsonObject
        {
            ["kind"] = "calendar#calendarList",
            ["etag"] = $"\"l{ctx.Account.CalendarListSeq}\"",
        };
        if (offset + page.Count < entries.Count)
        {
            result["nextPageToken"] = ListTokens.PageToken(offset + page.Count, ctx.Account.CalendarListSeq);
        }
        else
        {
            result["nextSyncToken"] = ListTokens.SyncToken("calendarList:" + ctx.Account.Email, 1, ctx.Account.CalendarListSeq, ctx.State.Now);
        }

        var items = page.Select(x => (JsonNode)Entry(x.Calendar, x.Role!, ctx.Account.ListOverrides.GetValueOrDefault(x.Calendar.Id))).ToList();

        // With a sync token (or showDeleted) removed entries come back as deleted ones; on the last page only.
        if ((since >= 0 || q["showDeleted"] == "true") && offset + page.Count >= entries.Count)
        {
            items.AddRange(ctx.Account.RemovedFromList.Where(kv => kv.Value > since).Select(kv => (JsonNode)new JsonObject
            {
                ["kind"] = "calendar#calendarListEntry", ["etag"] = $"\"d{kv.Value}\"", ["id"] = kv.Key, ["deleted"] = true,
            }));
        }

        result["items"] = new JsonArray([.. items]);
        return ApiResponse.Json(200, result);
    }

    public static ApiResponse GetCalendarListEntry(CallContext ctx)
    {
        var id = ctx.Args[0] == "primary" ? ctx.Account.Email : ctx.Args[0];
        if (!ctx.Account.CalendarList.ContainsKey(id) || ctx.Calendar(id, write: false, out var calendar, out var role) is not null)
        {
            return GoogleError.NotFound();
        }

        var entry = Entry(calendar, role, ctx.Account.ListOverrides.GetValueOrDefault(calendar.Id));
        return ApiResponse.Json(200, entry, calendar.Etag);
    }

    public static ApiResponse GetCalendar(CallContext ctx)
    {
        if (ctx.Calendar(ctx.Args[0], write: false, out var calendar, out _) is { } denied)
        {
            return denied;
        }

        return ApiResponse.Json(200, CalendarResource(calendar), calendar.Etag);
    }

    public static JsonObject CalendarResource(CalendarState calendar)
    {
        var result = new JsonObject
        {
            ["kind"] = "calendar#calendar",
            ["etag"] = calendar.Etag,
            ["id"] = calendar.Id,
            ["summary"] = calendar.Summary,
        };
        if (calendar.Description is not null)
        {
            result["description"] = calendar.Description;
        }

        result["timeZone"] = calendar.TimeZone;
        result["conferenceProperties"] = new JsonObject { ["allowedConferenceSolutionTypes"] = new JsonArray("hangoutsMeet") };
        return result;
    }

    /// <summary>A calendarList entry; <paramref name="overrides"/> holds what this account changed with calendarList.patch/update.</summary>
    public static JsonObject Entry(CalendarState calendar, string role, JsonObject? overrides = null)
    {
        var (background, foreground) = Colors.Calendar(calendar.ColorId);
        var entry = new JsonObject
        {
            ["kind"] = "calendar#calendarListEntry",
            ["etag"] = calendar.Etag,
            ["id"] = calendar.Id,
            ["summary"] = calendar.Summary,
        };
        if (calendar.Description is not null)
        {
            entry["description"] = calendar.Description;
        }

        entry["timeZone"] = calendar.TimeZone;
        entry["colorId"] = calendar.ColorId;
        entry["backgroundColor"] = background;
        entry["foregroundColor"] = foreground;
        entry["selected"] = true;
        entry["accessRole"] = role;
        entry["defaultReminders"] = calendar.IsPrimary && role == "owner"
            ? new JsonArray(new JsonObject { ["method"] = "popup", ["minutes"] = 10 })
            : new JsonArray();
        if (calendar.IsPrimary && role == "owner")
        {
            entry["notificationSettings"] = new JsonObject
            {
                ["notifications"] = new JsonArray(
                    new JsonObject { ["type"] = "eventCreation", ["method"] = "email" },
                    new JsonObject { ["type"] = "eventChange", ["method"] = "email" },
                    new JsonObject { ["type"] = "eventCancellation", ["method"] = "email" },
                    new JsonObject { ["type"] = "eventResponse", ["method"] = "email" }),
            };
            entry["primary"] = true;
        }

        entry["conferenceProperties"] = new JsonObject { ["allowedConferenceSolutionTypes"] = new JsonArray("hangoutsMeet") };
        foreach (var (key, value) in overrides ?? [])
        {
            entry[key] = value?.DeepClone();
        }

        if (entry["hidden"] is JsonValue hidden && hidden.TryGetValue(out bool isHidden) && !isHidden)
        {
            entry.Remove("hidden"); // present only when true
        }

        return entry;
    }
}
