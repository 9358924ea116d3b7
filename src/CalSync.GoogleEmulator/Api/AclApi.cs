using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Api;

/// <summary>acl.list/get/insert/update/patch/delete for user scopes; the owner's own rule cannot change.</summary>
internal static class AclApi
{
    private static readonly string[] Roles = ["none", "freeBusyReader", "reader", "writer", "owner"];

    public static ApiResponse List(CallContext ctx)
    {
        if (Owned(ctx, out var calendar) is { } denied)
        {
            return denied;
        }

        return ApiResponse.Json(200, new JsonObject
        {
            ["kind"] = "calendar#acl",
            ["etag"] = $"\"a{calendar.TokenEpoch}\"",
            ["nextSyncToken"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("acl|" + calendar.TokenEpoch)),
            ["items"] = new JsonArray([.. Rules(calendar).Select(r => (JsonNode)Rule(calendar, r.Email, r.Role))]),
        });
    }

    public static ApiResponse Get(CallContext ctx)
    {
        if (Owned(ctx, out var calendar) is { } denied)
        {
            return denied;
        }

        return Rules(calendar).FirstOrDefault(r => "user:" + r.Email == ctx.Args[1]) is { Email: not null } rule
            ? ApiResponse.Json(200, Rule(calendar, rule.Email, rule.Role))
            : GoogleError.NotFound();
    }

    public static ApiResponse Insert(CallContext ctx)
    {
        if (Owned(ctx, out var calendar) is { } denied)
        {
            return denied;
        }

        if (GoogleJson.ParseObject(ctx.Request.Body) is not { } body)
        {
            return GoogleError.ParseError();
        }

        if (body.StringAt("scope", "type") != "user" || body.StringAt("scope", "value") is not { Length: > 0 } email)
        {
            return GoogleError.Invalid("Only user scopes with an email value are supported by the emulator."); // emulator limit, not Google's
        }

        return Write(ctx, calendar, email, body.String("role"));
    }

    public static ApiResponse Update(CallContext ctx)
    {
        if (Owned(ctx, out var calendar) is { } denied)
        {
            return denied;
        }

        if (Existing(calendar, ctx.Args[1]) is not { } email)
        {
            return GoogleError.NotFound();
        }

        return GoogleJson.ParseObject(ctx.Request.Body) is { } body ? Write(ctx, calendar, email, body.String("role")) : GoogleError.ParseError();
    }

    public static ApiResponse Delete(CallContext ctx)
    {
        if (Owned(ctx, out var calendar) is { } denied)
        {
            return denied;
        }

        if (Existing(calendar, ctx.Args[1]) is not { } email)
        {
            return GoogleError.NotFound();
        }

        return Write(ctx, calendar, email, "none") is { Status: 200 } ? ApiResponse.NoContent() : GoogleError.CannotChangeOwnAcl();
    }

    private static ApiResponse Write(CallContext ctx, CalendarState calendar, string email, string? role)
    {
        if (role is null || !Roles.Contains(role))
        {
            return GoogleError.Invalid($"Invalid value for: {role} is not a valid value", "role");
        }

        if (string.Equals(email, calendar.OwnerEmail, StringComparison.OrdinalIgnoreCase))
        {
            return GoogleError.CannotChangeOwnAcl();
        }

        ctx.State.Share(calendar, email, ctx.State.Accounts.GetValueOrDefault(email), role);
        return ApiResponse.Json(200, Rule(calendar, email, role));
    }

    private static string? Existing(CalendarState calendar, string ruleId) =>
        Rules(calendar).FirstOrDefault(r => "user:" + r.Email == ruleId).Email;

    private static IEnumerable<(string Email, string Role)> Rules(CalendarState calendar) =>
        calendar.Acl.Select(kv => (kv.Key, kv.Value)).Prepend((calendar.OwnerEmail, "owner"));

    private static JsonObject Rule(CalendarState calendar, string email, string role) => new()
    {
        ["kind"] = "calendar#aclRule",
        ["etag"] = $"\"a{calendar.TokenEpoch}\"",
        ["id"] = "user:" + email,
        ["scope"] = new JsonObject { ["type"] = "user", ["value"] = email },
        ["role"] = role,
    };

    private static ApiResponse? Owned(CallContext ctx, out CalendarState calendar)
    {
        if (ctx.Calendar(ctx.Args[0], write: false, out calendar, out var role) is { } denied)
        {
            return denied;
        }

        return role == "owner" ? null : GoogleError.Forbidden();
    }
}
