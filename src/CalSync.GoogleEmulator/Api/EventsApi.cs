using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Events;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Api;

/// <summary>events.get/insert/update/patch/delete. Handlers run with the state lock held.</summary>
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

        // events.get returns deleted events too, with status "cancelled".
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

    public static ApiResponse Insert(CallContext ctx) => Insert(ctx, byGoogle: false);

    /// <summary>byGoogle: an event Google itself puts on the calendar (seed, admin API), such as one from Gmail.</summary>
    public static ApiResponse Insert(CallContext ctx, bool byGoogle)
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

        // If-Match is ignored on insert: the .NET client sends it whenever the body carries an etag.
        var identity = EventComposer.NewIdentity(ctx.State, calendar, ctx.Account, id, body.String("iCalUID"));
        return Store(ctx, calendar, body, identity, previous: null, byGoogle: byGoogle);
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

        Remove(ctx.State, calendar, found);
        return ApiResponse.NoContent();
    }

    /// <summary>
    /// Deletes an event from a calendar (leaving a cancelled tombstone); a series takes its exceptions with it. The organizer's
    /// delete cancels the attendees' copies; a guest's delete removes only its own copy and declines the invitation.
    /// </summary>
    public static void Remove(EmulatorState state, CalendarState calendar, EventLookup found)
    {
        var prefix = found.Current.Id + "_";
        List<StoredEvent> removed = [found.Current, .. found.Current.IsRecurringMaster
            ? calendar.Events.Values.Where(e => e.RecurringEventId == found.Current.Id && !e.IsCancelled && e.Id.StartsWith(prefix, StringComparison.Ordinal))
            : []];
        var guest = Invitations.IsGuestCopy(calendar, found.Current);
        var declines = guest && !found.IsVirtualInstance && found.Current.RecurringEventId is null;
        Action<JsonObject>? decline = declines ? resource => Invitations.SetAnswer(resource, calendar.Id, "declined") : null;
        var cancelled = removed.Select(e => (Before: e, After: Cancel(state, calendar, e, decline))).ToList();
        state.RaiseChanged(calendar);
        if (declines)
        {
            Invitations.Decline(state, calendar, found.Current);
        }
        else if (!guest)
        {
            foreach (var (before, after) in cancelled)
            {
                Invitations.Propagate(state, calendar, after, before);
            }
        }
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

    /// <summary>Stores the next version and, unless it is a private copy (events.import), brings the other participants' copies along.</summary>
    public static ApiResponse Store(CallContext ctx, CalendarState calendar, JsonObject body, EventComposer.Identity identity, StoredEvent? previous,
        bool propagate = true, bool byGoogle = false)
    {
        var options = WriteOptions.From(ctx.Query) with { ByGoogle = byGoogle };
        if (EventComposer.Compose(ctx.State, calendar, body, identity, previous, options, out var stored) is { } invalid)
        {
            return invalid;
        }

        calendar.Events[stored!.Id] = stored;
        ctx.State.RaiseChanged(calendar);
        if (propagate)
        {
            Invitations.Propagate(ctx.State, calendar, stored, previous);
        }

        EventView.Parse(ctx.Query, out var view);
        return ApiResponse.Raw(200, view.Render(stored), stored.Etag);
    }

    private static ApiResponse? Precondition(CallContext ctx, StoredEvent current) =>
        ctx.Request.Header("If-Match") is { } ifMatch && !CallContext.EtagMatches(ifMatch, current.Etag)
            ? GoogleError.ConditionNotMet()
            : null;

    public static StoredEvent Cancel(EmulatorState state, CalendarState calendar, StoredEvent current, Action<JsonObject>? alsoChange = null)
    {
        var resource = (JsonObject)current.Resource.DeepClone();
        alsoChange?.Invoke(resource);
        resource["etag"] = state.NextEtag();
        resource["status"] = "cancelled";
        resource["updated"] = GoogleJson.Timestamp(state.Now);
        var cancelled = new StoredEvent(resource, state.NextChange(calendar), current.Ordinal, current.Start, current.End, state.Now);
        calendar.Events[current.Id] = cancelled;
        return cancelled;
    }
}
