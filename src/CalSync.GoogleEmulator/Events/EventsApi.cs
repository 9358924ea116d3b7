using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Api;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Events;

/// <summary>events.get/insert/update/patch/delete (§1.2, §4, §5). Handlers run with the state lock held.</summary>
internal static class EventsApi
{
    public static ApiResponse Get(CallContext ctx)
    {
        if (ctx.Calendar(ctx.Args[0], write: false, out var calendar, out _) is { } denied)
        {
            return denied;
        }

        if (EventLookup.Find(calendar, ctx.Args[1]) is not { } found)
        {
            return GoogleError.NotFound();
        }

        // events.get returns deleted events too, with status "cancelled" (§4).
        var current = found.Current;
        if (ctx.Request.Header("If-None-Match") is { } inm && CallContext.EtagMatches(inm, current.Etag))
        {
            return ApiResponse.NotModified();
        }

        if (EventView.Parse(ctx.Query, out var view) is { } badView)
        {
            return badView;
        }

        return ApiResponse.Raw(200, view.Render(current), current.Etag);
    }

    public static ApiResponse Insert(CallContext ctx)
    {
        if (ctx.Calendar(ctx.Args[0], write: true, out var calendar, out _) is { } denied)
        {
            return denied;
        }

        if (EventRules.ValidateWriteParameters(ctx.Query) is { } badParameter)
        {
            return badParameter;
        }

        if (GoogleJson.ParseObject(ctx.Request.Body) is not { } body)
        {
            return GoogleError.ParseError();
        }

        var id = body.String("id");
        if (id is not null && !EventRules.IsValidId(id))
        {
            return GoogleError.InvalidId();
        }

        id ??= EmulatorState.RandomId(26);
        if (calendar.Events.ContainsKey(id))
        {
            // Deleted events keep their id as a cancelled tombstone, so their id is taken too (design.md).
            return GoogleError.Duplicate();
        }

        // If-Match is ignored on insert (§5): the .NET client sends it whenever the body carries an etag.
        var identity = EventComposer.NewIdentity(ctx.State, calendar, ctx.Account, id, body.String("iCalUID"));
        return Store(ctx, calendar, body, identity, previous: null);
    }

    public static ApiResponse Update(CallContext ctx) => Modify(ctx, patch: false);

    public static ApiResponse Patch(CallContext ctx) => Modify(ctx, patch: true);

    public static ApiResponse Delete(CallContext ctx)
    {
        if (ctx.Calendar(ctx.Args[0], write: true, out var calendar, out _) is { } denied)
        {
            return denied;
        }

        if (EventRules.ValidateWriteParameters(ctx.Query) is { } badParameter)
        {
            return badParameter;
        }

        if (EventLookup.Find(calendar, ctx.Args[1]) is not { } found)
        {
            return GoogleError.NotFound();
        }

        if (found.Current.IsCancelled)
        {
            return GoogleError.Deleted();
        }

        if (Precondition(ctx, found.Current) is { } failed)
        {
            return failed;
        }

        Cancel(ctx.State, calendar, found.Current);
        if (found.Current.IsRecurringMaster)
        {
            // Deleting a series deletes its exceptions with it.
            var prefix = found.Current.Id + "_";
            foreach (var exception in calendar.Events.Values.Where(e => e.RecurringEventId == found.Current.Id && !e.IsCancelled && e.Id.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                Cancel(ctx.State, calendar, exception);
            }
        }

        ctx.State.RaiseChanged(calendar);
        return ApiResponse.NoContent();
    }

    private static ApiResponse Modify(CallContext ctx, bool patch)
    {
        if (ctx.Calendar(ctx.Args[0], write: true, out var calendar, out _) is { } denied)
        {
            return denied;
        }

        if (EventRules.ValidateWriteParameters(ctx.Query) is { } badParameter)
        {
            return badParameter;
        }

        if (EventLookup.Find(calendar, ctx.Args[1]) is not { } found)
        {
            return GoogleError.NotFound();
        }

        if (Precondition(ctx, found.Current) is { } failed)
        {
            return failed;
        }

        if (GoogleJson.ParseObject(ctx.Request.Body) is not { } body)
        {
            return GoogleError.ParseError();
        }

        if (patch)
        {
            var merged = EventComposer.Merge(found.Current.Resource, body);

            // date and dateTime exclude each other: patching one switches the event between all-day and timed.
            foreach (var key in new[] { "start", "end" })
            {
                if (body[key] is JsonObject given && merged[key] is JsonObject result)
                {
                    if (given["date"] is not null)
                    {
                        result.Remove("dateTime");
                    }
                    else if (given["dateTime"] is not null)
                    {
                        result.Remove("date");
                    }
                }
            }

            body = merged;
        }

        var identity = found.IsVirtualInstance
            ? EventComposer.IdentityOf(found.Master!) with
            {
                Id = found.Current.Id,
                RecurringEventId = found.Master!.Id,
                OriginalStartTime = found.Occurrence!.StartJson,
            }
            : EventComposer.IdentityOf(found.Current);
        return Store(ctx, calendar, body, identity, found.Current);
    }

    public static ApiResponse Store(CallContext ctx, CalendarState calendar, JsonObject body, EventComposer.Identity identity, StoredEvent? previous)
    {
        if (EventComposer.Compose(ctx.State, calendar, body, identity, previous, WriteOptions.From(ctx.Query), out var stored) is { } invalid)
        {
            return invalid;
        }

        calendar.Events[stored!.Id] = stored;
        ctx.State.RaiseChanged(calendar);
        EventView.Parse(ctx.Query, out var view);
        return ApiResponse.Raw(200, view.Render(stored), stored.Etag);
    }

    private static ApiResponse? Precondition(CallContext ctx, StoredEvent current) =>
        ctx.Request.Header("If-Match") is { } ifMatch && !CallContext.EtagMatches(ifMatch, current.Etag)
            ? GoogleError.ConditionNotMet()
            : null;

    public static void Cancel(EmulatorState state, CalendarState calendar, StoredEvent current)
    {
        var resource = (JsonObject)current.Resource.DeepClone();
        resource["etag"] = state.NextEtag();
        resource["status"] = "cancelled";
        resource["updated"] = GoogleJson.Timestamp(state.Now);
        calendar.Events[current.Id] = new StoredEvent(resource, state.NextChange(calendar), current.Ordinal, current.Start, current.End, state.Now);
    }
}
