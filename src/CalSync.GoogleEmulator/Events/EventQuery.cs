using System.Globalization;
using CalSync.GoogleEmulator.Api;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Events;

/// <summary>events.list and events.instances: filtering, expansion, ordering and paging.</summary>
internal static class EventQuery
{
    public static ApiResponse List(CallContext ctx)
    {
        if (ctx.Calendar(ctx.Args[0], write: false, out var calendar, out var role) is { } denied)
        {
            return denied;
        }

        if (ListParams.Parse(ctx.Query, instances: false, out var p) is { } invalid)
        {
            return invalid;
        }

        long since = -1;
        if (p.SyncToken is not null
            && (!ListTokens.TryReadSyncToken(p.SyncToken, calendar.Id, out var epoch, out since, out var issued)
                || epoch != calendar.TokenEpoch || since > calendar.Seq
                || (ctx.Faults.SyncTokenMaxAgeSeconds is { } maxAge && ctx.State.Now - issued > TimeSpan.FromSeconds(maxAge))))
        {
            return GoogleError.FullSyncRequired();
        }

        // Pages of one listing share the filtered, ordered result while the calendar is unchanged (minute-grained for open-ended expansion).
        var key = string.Create(CultureInfo.InvariantCulture, $"{p.CacheKey()}|{since}|{calendar.Seq}|{calendar.TokenEpoch}|{ctx.State.Now.ToUnixTimeSeconds() / 60}");
        if (calendar.ListCache is not { } cached || cached.Key != key)
        {
            cached = (key, Order(Collect(ctx.State, calendar, p, since), p));
            calendar.ListCache = cached;
        }

        return Page(ctx, calendar, role, p, cached.Items);
    }

    public static ApiResponse Instances(CallContext ctx)
    {
        if (ctx.Calendar(ctx.Args[0], write: false, out var calendar, out var role) is { } denied)
        {
            return denied;
        }

        if (ListParams.Parse(ctx.Query, instances: true, out var p) is { } invalid)
        {
            return invalid;
        }

        if (!calendar.Events.TryGetValue(ctx.Args[1], out var master))
        {
            return GoogleError.NotFound();
        }

        if (master.IsCancelled)
        {
            return GoogleError.Deleted();
        }

        var items = new List<Item>();
        if (master.IsRecurringMaster)
        {
            AddInstances(ctx.State, calendar, master, p, items);
            items.AddRange(calendar.Events.Values.Where(e => e.RecurringEventId == master.Id).Select(e => new Item(e, false)));
        }

        var originalStart = ctx.Query["originalStart"];
        var filtered = items.Where(i => Keep(i, p, sync: false, calendar)
                && (originalStart is null || i.Event.Resource.StringAt("originalStartTime", "dateTime") == originalStart
                    || i.Event.Resource.StringAt("originalStartTime", "date") == originalStart))
            .ToList();
        return Page(ctx, calendar, role, p, Order(filtered, p with { OrderBy = "startTime" }), withSyncToken: false);
    }

    /// <summary>Single events and instances overlapping [from, to), cancelled ones excluded: what freeBusy counts.</summary>
    public static List<StoredEvent> Occurrences(EmulatorState state, CalendarState calendar, DateTimeOffset from, DateTimeOffset to) =>
        [.. Collect(state, calendar, new ListParams { SingleEvents = true, TimeMin = from, TimeMax = to }, since: -1).Select(i => i.Event)];

    private sealed record Item(StoredEvent Event, bool SeriesWindowChecked);

    private static List<Item> Collect(EmulatorState state, CalendarState calendar, ListParams p, long since)
    {
        var sync = since >= 0;
        var result = new List<Item>();
        foreach (var stored in calendar.Events.Values)
        {
            if (p.SingleEvents && stored.IsRecurringMaster)
            {
                if (!sync || stored.ChangeSeq > since)
                {
                    AddInstances(state, calendar, stored, p, result);
                }

                continue;
            }

            if (sync && stored.ChangeSeq <= since)
            {
                continue;
            }

            if (!p.SingleEvents && stored.IsRecurringMaster && !sync)
            {
                // A series matches the window when one of its occurrences does.
                if (p.TimeMin is not null || p.TimeMax is not null)
                {
                    var from = (p.TimeMin ?? stored.Start.Instant) - (stored.End.Instant - stored.Start.Instant);
                    var until = p.TimeMax ?? DateTimeOffset.MaxValue;
                    if (!Recurrence.Expand(stored, from, until, 16).Any(o => p.TimeMin is null || o.End > p.TimeMin))
                    {
                        continue;
                    }
                }

                result.Add(new Item(stored, true));
                continue;
            }

            result.Add(new Item(stored, false));
        }

        return [.. result.Where(i => Keep(i, p, sync, calendar))];
    }

    private static void AddInstances(EmulatorState state, CalendarState calendar, StoredEvent master, ListParams p, List<Item> into)
    {
        var duration = master.End.Instant - master.Start.Instant;
        var from = p.TimeMin is { } min ? min - duration : master.Start.Instant;
        // Open-ended: expand a horizon past the latest of now, timeMin and the series' start.
        var anchor = new[] { state.Now, p.TimeMin ?? DateTimeOffset.MinValue, master.Start.Instant }.Max();
        var until = p.TimeMax ?? anchor + Recurrence.OpenEndedHorizon;
        foreach (var occurrence in Recurrence.Expand(master, from, until))
        {
            // Exceptions (modified or cancelled instances) are stored under the instance id and listed on their own.
            if (!calendar.Events.ContainsKey(master.Id + "_" + occurrence.Suffix))
            {
                into.Add(new Item(Recurrence.AsStored(master, occurrence), false));
            }
        }
    }

    private static bool Keep(Item item, ListParams p, bool sync, CalendarState calendar)
    {
        var e = item.Event;
        if (e.IsCancelled && !(sync || p.ShowDeleted || p.UpdatedMin is not null || IsCancelledExceptionOfLiveSeries(e, p, calendar)))
        {
            return false;
        }

        if (!sync && !item.SeriesWindowChecked
            && ((p.TimeMin is { } min && e.End.Instant <= min) || (p.TimeMax is { } max && e.Start.Instant >= max)))
        {
            return false;
        }

        return (p.UpdatedMin is null || e.Updated >= p.UpdatedMin)
               && (p.ICalUid is null || e.ICalUid == p.ICalUid)
               && p.PrivateProperties.All(kv => e.PrivateProperties.TryGetValue(kv.Key, out var v) && v == kv.Value)
               && p.SharedProperties.All(kv => e.SharedProperties.TryGetValue(kv.Key, out var v) && v == kv.Value)
               && (p.EventTypes is null || p.EventTypes.Contains(e.EventType))
               && (p.Q is null || p.Q.ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries).All(term => e.SearchText.Contains(term, StringComparison.Ordinal)));
    }

    /// <summary>Without singleEvents, cancelled exceptions of a live series are listed even when showDeleted is false.</summary>
    private static bool IsCancelledExceptionOfLiveSeries(StoredEvent e, ListParams p, CalendarState calendar) =>
        !p.SingleEvents && e.RecurringEventId is { } masterId
        && calendar.Events.TryGetValue(masterId, out var master) && !master.IsCancelled;

    private static List<StoredEvent> Order(List<Item> items, ListParams p)
    {
        IEnumerable<Item> ordered = p.OrderBy switch
        {
            "startTime" => items.OrderBy(i => i.Event.Start.Instant).ThenBy(i => i.Event.Id, StringComparer.Ordinal),
            "updated" => items.OrderBy(i => i.Event.ChangeSeq).ThenBy(i => i.Event.Id, StringComparer.Ordinal),
            // Google's default order is unspecified but stable; creation order keeps pages stable under edits.
            _ => items.OrderBy(i => i.Event.Ordinal).ThenBy(i => i.Event.Start.Instant),
        };
        return [.. ordered.Select(i => i.Event)];
    }

    private static ApiResponse Page(CallContext ctx, CalendarState calendar, string role, ListParams p, List<StoredEvent> items, bool withSyncToken = true)
    {
        var offset = 0;
        var snapshot = calendar.Seq;
        if (p.PageToken is not null && !ListTokens.TryReadPageToken(p.PageToken, out offset, out snapshot))
        {
            return GoogleError.Invalid("Invalid page token value.", "pageToken"); // ❓ message
        }

        var page = items.Skip(offset).Take(p.MaxResults).ToList();
        var more = offset + page.Count < items.Count;

        // nextSyncToken only on the last page; it carries the sequence of the first page so nothing changed meanwhile is missed.
        var nextPage = more ? ListTokens.PageToken(offset + page.Count, snapshot) : null;
        var nextSync = !more && withSyncToken ? ListTokens.SyncToken(calendar.Id, calendar.TokenEpoch, snapshot, ctx.State.Now) : null;
        if (EventView.Parse(ctx.Query, out var view) is { } badView)
        {
            return badView;
        }

        return EventsPageWriter.Write(calendar, role, ctx.Query["timeZone"], page, p.ShowDeleted, nextPage, nextSync, view);
    }
}
