using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Events;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Api;

/// <summary>events.import, events.move and events.quickAdd.</summary>
internal static class EventSpecialWritesApi
{
    /// <summary>Adds a private copy of an event by iCalUID; importing the same iCalUID again updates that copy (❓ unconfirmed; idempotent like iCalendar).</summary>
    public static ApiResponse Import(CallContext ctx)
    {
        if (ctx.Calendar(ctx.Args[0], write: true, out var calendar, out _) is { } denied)
        {
            return denied;
        }

        if (GoogleJson.ParseObject(ctx.Request.Body) is not { } body)
        {
            return GoogleError.ParseError();
        }

        if (body.String("iCalUID") is not { Length: > 0 } uid)
        {
            return GoogleError.Required("Missing iCalUID.", "iCalUID"); // ✅ [DISC] required; ❓ message
        }

        if ((body.String("eventType") ?? "default") != "default")
        {
            return GoogleError.Invalid("Only events of type 'default' can be imported."); // ✅ [DISC]; ❓ message
        }

        var existing = calendar.Events.Values.FirstOrDefault(e => e.ICalUid == uid && e.RecurringEventId is null);
        EventComposer.Identity identity;
        if (existing is not null)
        {
            identity = EventComposer.IdentityOf(existing);
        }
        else
        {
            var id = body.String("id");
            if (id is not null && !EventRules.IsValidId(id))
            {
                return GoogleError.InvalidId();
            }

            id ??= EmulatorState.RandomId(26);
            if (calendar.Events.ContainsKey(id))
            {
                return GoogleError.Duplicate();
            }

            identity = EventComposer.NewIdentity(ctx.State, calendar, ctx.Account, id, uid);
        }

        // The organizer is writable on import only.
        if (body["organizer"] is JsonObject organizer && organizer.String("email") is not null)
        {
            identity = identity with { Organizer = organizer.DeepClone() };
        }

        // An import is a private copy: it does not invite anyone.
        return EventsApi.Store(ctx, calendar, body, identity, existing, propagate: false);
    }

    /// <summary>Moves an event to another calendar under the same id; the source keeps a cancelled tombstone.</summary>
    public static ApiResponse Move(CallContext ctx)
    {
        if (ctx.Calendar(ctx.Args[0], write: true, out var source, out _) is { } denied)
        {
            return denied;
        }

        if (ctx.Query["destination"] is not { Length: > 0 } destinationId)
        {
            return GoogleError.Required("Required parameter: destination", "destination");
        }

        if (ctx.Calendar(destinationId, write: true, out var destination, out _) is { } deniedDestination)
        {
            return deniedDestination;
        }

        if (!source.Events.TryGetValue(ctx.Args[1], out var current))
        {
            return GoogleError.NotFound();
        }

        if (current.IsCancelled)
        {
            return GoogleError.Deleted();
        }

        if (Invitations.IsGuestCopy(source, current))
        {
            // Moving changes the organizer, which only the organizer may do.
            return GoogleError.ForbiddenForNonOrganizer();
        }

        if (current.EventType != "default" || current.RecurringEventId is not null)
        {
            return GoogleError.Invalid("This event cannot be moved."); // ✅ [DISC] only default events move; ❓ message
        }

        if (destination.Events.ContainsKey(current.Id))
        {
            return GoogleError.Duplicate();
        }

        var identity = EventComposer.NewIdentity(ctx.State, destination, ctx.Account, current.Id, current.ICalUid) with
        {
            Created = current.Resource["created"]!.DeepClone(),
        };
        if (EventComposer.Compose(ctx.State, destination, current.Resource, identity, previous: null, WriteOptions.From(ctx.Query), out var moved) is { } invalid)
        {
            return invalid;
        }

        destination.Events[moved!.Id] = moved;
        EventsApi.Cancel(ctx.State, source, current);
        ctx.State.RaiseChanged(source);
        ctx.State.RaiseChanged(destination);

        // The attendees' copies follow the new organizer.
        Invitations.Propagate(ctx.State, destination, moved, previous: null);
        return ApiResponse.Raw(200, moved.Json, moved.Etag);
    }

    /// <summary>Google parses the text for a time; the emulator keeps it as the summary of a one-hour event at the next full hour (❓).</summary>
    public static ApiResponse QuickAdd(CallContext ctx)
    {
        if (ctx.Calendar(ctx.Args[0], write: true, out var calendar, out _) is { } denied)
        {
            return denied;
        }

        if (ctx.Query["text"] is not { Length: > 0 } text)
        {
            return GoogleError.Required("Required parameter: text", "text");
        }

        var now = ctx.State.Now;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
        var body = new JsonObject
        {
            ["summary"] = text,
            ["start"] = new JsonObject { ["dateTime"] = Rfc3339.Format(start) },
            ["end"] = new JsonObject { ["dateTime"] = Rfc3339.Format(start.AddHours(1)) },
        };
        var identity = EventComposer.NewIdentity(ctx.State, calendar, ctx.Account, EmulatorState.RandomId(26), null);
        return EventsApi.Store(ctx, calendar, body, identity, previous: null);
    }
}
