using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Events;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Api;

/// <summary>calendars.insert/patch/update/delete/clear and calendarList.insert/patch/update/delete.</summary>
internal static class CalendarsWriteApi
{
    /// <summary>Entry members an account may set for itself.</summary>
    private static readonly string[] EntrySettings =
        ["summaryOverride", "colorId", "backgroundColor", "foregroundColor", "hidden", "selected", "defaultReminders", "notificationSettings"];

    public static ApiResponse InsertCalendar(CallContext ctx)
    {
        if (GoogleJson.ParseObject(ctx.Request.Body) is not { } body)
        {
            return GoogleError.ParseError();
        }

        if (string.IsNullOrWhiteSpace(body.String("summary")))
        {
            return GoogleError.Required("Missing title.", "summary"); // ✅ [DISC] summary is required; ❓ message
        }

        var timeZone = body.String("timeZone") ?? ctx.State.Calendars[ctx.Account.Email].TimeZone;
        if (Zones.Find(timeZone) is null)
        {
            return GoogleError.Invalid("Invalid time zone definition.");
        }

        var calendar = ctx.State.CreateCalendar(ctx.Account, body.String("summary")!, timeZone);
        calendar.Description = body.String("description");
        return ApiResponse.Json(200, CalendarsApi.CalendarResource(calendar), calendar.Etag);
    }

    public static ApiResponse UpdateCalendar(CallContext ctx) => ModifyCalendar(ctx, patch: false);

    public static ApiResponse PatchCalendar(CallContext ctx) => ModifyCalendar(ctx, patch: true);

    public static ApiResponse DeleteCalendar(CallContext ctx)
    {
        if (Owned(ctx, out var calendar) is { } denied)
        {
            return denied;
        }

        if (calendar.IsPrimary)
        {
            // calendars.delete is for secondary calendars; primaries are cleared. ❓ reason/message.
            return GoogleError.Create(400, "global", "cannotDeletePrimaryCalendar", "The primary calendar cannot be deleted.");
        }

        // Its events go as if deleted one by one, so attendees' copies of the events it organizes are cancelled.
        RemoveAllEvents(ctx.State, calendar);
        ctx.State.Calendars.Remove(calendar.Id);
        foreach (var account in ctx.State.Accounts.Values)
        {
            account.RemoveListEntry(calendar.Id);
        }

        foreach (var channel in ctx.State.Channels.Values.Where(c => c.CalendarId == calendar.Id).ToList())
        {
            ctx.State.Channels.Remove(channel.Id);
        }

        return ApiResponse.NoContent();
    }

    /// <summary>Each event as events.delete removes it; a series' exceptions go with their series.</summary>
    private static void RemoveAllEvents(EmulatorState state, CalendarState calendar)
    {
        foreach (var e in calendar.Events.Values.OrderBy(e => e.RecurringEventId is null ? 0 : 1).ToList())
        {
            if (calendar.Events[e.Id] is { IsCancelled: false } current)
            {
                EventsApi.Remove(state, calendar, new EventLookup(current, null, null));
            }
        }

        state.RaiseChanged(calendar);
    }

    public static ApiResponse ClearCalendar(CallContext ctx)
    {
        if (Owned(ctx, out var calendar) is { } denied)
        {
            return denied;
        }

        if (!calendar.IsPrimary)
        {
            return GoogleError.Invalid("Only primary calendars can be cleared; delete a secondary calendar instead."); // ❓ message
        }

        RemoveAllEvents(ctx.State, calendar);
        return ApiResponse.NoContent();
    }

    public static ApiResponse InsertListEntry(CallContext ctx)
    {
        if (GoogleJson.ParseObject(ctx.Request.Body) is not { } body)
        {
            return GoogleError.ParseError();
        }

        if (body.String("id") is not { } id)
        {
            return GoogleError.Required("Required", "id");
        }

        if (ctx.Calendar(id, write: false, out var calendar, out var role) is { } denied)
        {
            return denied;
        }

        ctx.Account.TouchListEntry(calendar.Id);
        return ApiResponse.Json(200, CalendarsApi.Entry(calendar, role, StoreSettings(ctx.Account, calendar.Id, body, replace: true)));
    }

    public static ApiResponse UpdateListEntry(CallContext ctx) => ModifyListEntry(ctx, replace: true);

    public static ApiResponse PatchListEntry(CallContext ctx) => ModifyListEntry(ctx, replace: false);

    public static ApiResponse DeleteListEntry(CallContext ctx)
    {
        var id = ctx.Args[0] == "primary" ? ctx.Account.Email : ctx.Args[0];
        if (!ctx.Account.RemoveListEntry(id))
        {
            return GoogleError.NotFound();
        }

        return ApiResponse.NoContent();
    }

    private static ApiResponse ModifyListEntry(CallContext ctx, bool replace)
    {
        var id = ctx.Args[0] == "primary" ? ctx.Account.Email : ctx.Args[0];
        if (!ctx.Account.CalendarList.ContainsKey(id) || ctx.Calendar(id, write: false, out var calendar, out var role) is not null)
        {
            return GoogleError.NotFound();
        }

        if (GoogleJson.ParseObject(ctx.Request.Body) is not { } body)
        {
            return GoogleError.ParseError();
        }

        if (body.String("colorId") is { } colorId && !(int.TryParse(colorId, System.Globalization.CultureInfo.InvariantCulture, out var c) && c is >= 1 and <= 24))
        {
            return GoogleError.Invalid("Invalid color ID."); // ❓ message; calendar colours are "1"–"24"
        }

        var settings = StoreSettings(ctx.Account, calendar.Id, body, replace);
        ctx.Account.TouchListEntry(calendar.Id);
        return ApiResponse.Json(200, CalendarsApi.Entry(calendar, role, settings), calendar.Etag);
    }

    private static JsonObject StoreSettings(Account account, string calendarId, JsonObject body, bool replace)
    {
        var settings = replace ? [] : account.ListOverrides.GetValueOrDefault(calendarId) ?? [];
        foreach (var key in EntrySettings)
        {
            if (body.TryGetPropertyValue(key, out var value))
            {
                settings[key] = value?.DeepClone();
            }
        }

        account.ListOverrides[calendarId] = settings;
        return settings;
    }

    private static ApiResponse ModifyCalendar(CallContext ctx, bool patch)
    {
        if (Owned(ctx, out var calendar) is { } denied)
        {
            return denied;
        }

        if (GoogleJson.ParseObject(ctx.Request.Body) is not { } body)
        {
            return GoogleError.ParseError();
        }

        var summary = body.String("summary") ?? (patch ? calendar.Summary : null);
        if (string.IsNullOrWhiteSpace(summary))
        {
            return GoogleError.Required("Missing title.", "summary");
        }

        var timeZone = body.String("timeZone") ?? (patch ? calendar.TimeZone : ctx.State.Calendars[calendar.OwnerEmail].TimeZone);
        if (Zones.Find(timeZone) is null)
        {
            return GoogleError.Invalid("Invalid time zone definition.");
        }

        calendar.Summary = summary;
        calendar.TimeZone = timeZone;
        calendar.Description = body.TryGetPropertyValue("description", out _) || !patch ? body.String("description") : calendar.Description;
        calendar.Etag = ctx.State.NextEtag();
        return ApiResponse.Json(200, CalendarsApi.CalendarResource(calendar), calendar.Etag);
    }

    private static ApiResponse? Owned(CallContext ctx, out CalendarState calendar)
    {
        if (ctx.Calendar(ctx.Args[0], write: false, out calendar, out var role) is { } denied)
        {
            return denied;
        }

        return role == "owner" ? null : GoogleError.Forbidden();
    }
}
