using System.Globalization;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Api;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Push;

/// <summary>events.watch and channels.stop (https://developers.google.com/calendar/api/guides/push).</summary>
internal static class WatchApi
{
    /// <summary>Default channel time-to-live: 604800 s.</summary>
    private const long DefaultTtlSeconds = 604800;

    private const string Root = "https://www.googleapis.com/calendar/v3/";

    /// <summary>events.watch (and acl.watch, calendarList.watch, settings.watch through <paramref name="kind"/>).</summary>
    public static ApiResponse Watch(CallContext ctx, PushNotifier notifier, string kind = "events")
    {
        CalendarState? calendar = null;
        if (kind is "events" or "acl")
        {
            if (ctx.Calendar(ctx.Args[0], write: false, out calendar, out var role) is { } denied)
            {
                return denied;
            }

            if (kind == "acl" && role != "owner")
            {
                return GoogleError.Forbidden();
            }
        }

        if (GoogleJson.ParseObject(ctx.Request.Body) is not { } body)
        {
            return GoogleError.ParseError();
        }

        var id = body.String("id");
        var address = body.String("address");
        var type = body.String("type");
        if (string.IsNullOrEmpty(id))
        {
            return GoogleError.Required("Required", "id");
        }

        if (id.Length > 64)
        {
            return GoogleError.Invalid("Channel id is too long.", "id"); // ❓ message; the 64-character limit is ✅
        }

        if (type is not ("web_hook" or "webhook"))
        {
            return GoogleError.BadRequest($"Unknown channel type: {type}"); // ❓ message
        }

        // Google requires an HTTPS address; the emulator also accepts http so local listeners work.
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return GoogleError.BadRequest($"Invalid webhook address: {address}"); // ❓ message
        }

        if (ctx.State.Channels.ContainsKey(id))
        {
            return GoogleError.Create(400, "global", "channelIdNotUnique", "Channel id not unique"); // ⚠️ as Drive sends it
        }

        var now = ctx.State.Now;
        var ttl = long.TryParse(body.At("params").At("ttl")?.ToString(), CultureInfo.InvariantCulture, out var t) && t > 0 ? t : DefaultTtlSeconds;
        var expiration = ReadExpiration(body) ?? now.AddSeconds(ttl);
        var channel = new WatchChannel
        {
            Id = id,
            ResourceId = EmulatorState.RandomToken(20),
            ResourceUri = kind switch
            {
                "calendarList" => Root + "users/me/calendarList?alt=json",
                "settings" => Root + "users/me/settings?alt=json",
                _ => $"{Root}calendars/{Uri.EscapeDataString(calendar!.Id)}/{kind}?alt=json",
            },
            Kind = kind,
            CalendarId = calendar?.Id,
            Address = uri.ToString(),
            Token = body.String("token"),
            Expiration = expiration,
            OwnerEmail = ctx.Account.Email,
        };
        ctx.State.Channels[id] = channel;
        notifier.Enqueue(channel, "sync");

        var result = new JsonObject
        {
            ["kind"] = "api#channel",
            ["id"] = channel.Id,
            ["resourceId"] = channel.ResourceId,
            ["resourceUri"] = channel.ResourceUri,
        };
        if (channel.Token is not null)
        {
            result["token"] = channel.Token;
        }

        // int64 fields travel as JSON strings in Google APIs (discovery "format": "int64").
        result["expiration"] = expiration.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return ApiResponse.Json(200, result);
    }

    public static ApiResponse Stop(CallContext ctx)
    {
        if (GoogleJson.ParseObject(ctx.Request.Body) is not { } body)
        {
            return GoogleError.ParseError();
        }

        var id = body.String("id");
        if (id is null || !ctx.State.Channels.TryGetValue(id, out var channel) || channel.ResourceId != body.String("resourceId"))
        {
            return GoogleError.Create(404, "global", "notFound", $"Channel '{id}' not found for project '1'"); // ❓ message
        }

        ctx.State.Channels.Remove(id);
        return ApiResponse.NoContent();
    }

    private static DateTimeOffset? ReadExpiration(JsonObject body) =>
        body["expiration"] is JsonValue v && long.TryParse(v.ToString(), CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
}
