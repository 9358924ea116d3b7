using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CalSync.Api.Tests;

/// <summary>
/// Random query strings at every route, and random bodies at every route that reads one: random JSON built from the real field names (any value, type or
/// nesting), valid bodies with one field made random, and bytes that are not JSON at all. Whatever arrives, the answer
/// is never a 5xx, and a refused request (4xx) writes no row. Text is any UTF-16, NUL and unpaired surrogates included.
/// The seed is fixed (<c>CALSYNC_FUZZ_SEED</c> overrides it, <c>CALSYNC_FUZZ_ITERATIONS</c> the count);
/// a failure prints the seed and the request.
/// </summary>
public sealed class RequestFuzzTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Seed = "0000000000000";

    private static readonly string[] FieldNames =
    [
        "name", "source", "target", "accountId", "calendarId", "direction", "pastDays", "futureDays", "copyToTarget",
        "copyToSource", "privacy", "placeholder", "colorId", "conflictPolicy", "schedule", "cron", "timeZone", "active",
        "fullResync", "dryRun", "confirmDeletes",
    ];

    private static readonly string[] FieldPaths =
    [
        "name", "source", "source.accountId", "source.calendarId", "target", "target.accountId", "target.calendarId",
        "direction", "pastDays", "futureDays", "copyToTarget", "copyToTarget.privacy", "copyToTarget.placeholder",
        "copyToTarget.colorId", "copyToSource", "copyToSource.colorId", "conflictPolicy", "schedule", "schedule.cron",
        "schedule.timeZone", "active", "fullResync", "dryRun", "confirmDeletes",
    ];

    [Fact]
    public async Task No_body_at_any_route_makes_the_api_answer_5xx()
    {
        // A limit no fuzzing reaches, so that the trigger route parses bodies instead of answering 429.
        await using var api = fixture.Api.WithWebHostBuilder(web => web.UseSetting("RunTriggers:PermitsPerMinute", "6000"));
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var syncId = (await user.CreateSyncAsync()).GetProperty("id").GetGuid();
        using var client = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        var routes = new (HttpMethod Method, string Url)[]
        {
            (HttpMethod.Post, "/api/syncs"),
            (HttpMethod.Patch, $"/api/syncs/{syncId}"),
            (HttpMethod.Post, $"/api/syncs/{syncId}/runs"),
            (HttpMethod.Post, "/api/tokens"),
        };
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("CALSYNC_FUZZ_ITERATIONS"), out var n) ? n : 400;

        await Requests(user).SampleAsync(
            async request =>
            {
                var (method, url) = routes[request.Route];
                using var message = new HttpRequestMessage(method, url) { Content = new ByteArrayContent(request.Body) };
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
                using var response = await client.SendAsync(message);
                Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            },
            seed: Environment.GetEnvironmentVariable("CALSYNC_FUZZ_SEED") ?? Seed,
            iter: iterations,
            threads: 1,
            print: request => $"{routes[request.Route].Method} {routes[request.Route].Url} ({request.ContentType}): {Encoding.UTF8.GetString(request.Body)}");
    }

    private static readonly string[] QueryNames =
        ["login_hint", "returnTo", "state", "code", "error", "limit", "before", "after", "removeCopies"];

    [Fact]
    public async Task No_query_string_at_any_route_makes_the_api_answer_5xx_or_a_refused_request_write_a_row()
    {
        await using var api = fixture.Api.WithWebHostBuilder(web => web.UseSetting("RunTriggers:PermitsPerMinute", "6000"));
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var syncId = (await user.CreateSyncAsync()).GetProperty("id").GetGuid();
        using var client = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        using var trigger = await client.PostAsync($"/api/syncs/{syncId}/runs", content: null);
        var runId = trigger.Headers.Location!.OriginalString.Split('/')[^1];
        var account = user.Accounts[0].Id;
        // Routes that delete get ids nobody has, so that the fuzzing keeps its sync, account and token.
        var routes = new (HttpMethod Method, string Path, bool Body)[]
        {
            (HttpMethod.Get, "/auth/login", false), (HttpMethod.Get, "/auth/callback", false), (HttpMethod.Post, "/auth/logout", false),
            (HttpMethod.Get, "/api/me", false), (HttpMethod.Get, "/api/tokens", false), (HttpMethod.Post, "/api/tokens", true),
            (HttpMethod.Delete, $"/api/tokens/{Guid.NewGuid()}", false), (HttpMethod.Get, "/api/accounts", false),
            (HttpMethod.Get, "/api/accounts/connect", false), (HttpMethod.Get, $"/api/accounts/{account}/reconnect", false),
            (HttpMethod.Get, $"/api/accounts/{account}/calendars", false), (HttpMethod.Delete, $"/api/accounts/{Guid.NewGuid()}", false),
            (HttpMethod.Post, "/api/syncs", true), (HttpMethod.Get, "/api/syncs", false), (HttpMethod.Get, $"/api/syncs/{syncId}", false),
            (HttpMethod.Patch, $"/api/syncs/{syncId}", true), (HttpMethod.Delete, $"/api/syncs/{Guid.NewGuid()}", false),
            (HttpMethod.Post, $"/api/syncs/{syncId}/runs", true), (HttpMethod.Get, $"/api/syncs/{syncId}/runs", false),
            (HttpMethod.Get, $"/api/runs/{runId}", false), (HttpMethod.Get, $"/api/runs/{runId}/changes", false),
            (HttpMethod.Get, "/health/live", false), (HttpMethod.Get, "/health/ready", false),
        };
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("CALSYNC_FUZZ_ITERATIONS"), out var n) ? n : 400;
        var query = Gen.Select(Gen.Frequency((5, Gen.OneOf(QueryNames)), (1, Text)), Text).Array[0, 4]
            .Select(pairs => string.Join('&', pairs.Select(p => $"{Escape(p.Item1)}={Escape(p.Item2)}")));
        // Bodies that are valid but for one text member, so that the text reaches the handlers and the database.
        string[] textPaths = ["name", "source.calendarId", "copyToTarget.placeholder", "copyToTarget.colorId", "schedule.cron", "schedule.timeZone"];
        var bodies = Gen.Frequency(
            (2, Text.Select(t => new JsonObject { ["name"] = t }.ToJsonString())),
            (2, Gen.Select(Gen.OneOf(textPaths), Text, (path, text) => ApiSyncs.OneWayBody(user)
                .With("schedule", new JsonObject { ["cron"] = "0 * * * *", ["timeZone"] = "UTC" }).With(path, text).ToJsonString())),
            (1, Node(user).Select(b => b?.ToJsonString() ?? "null")));
        var requests = Gen.Select(Gen.Int[0, routes.Length - 1], query, bodies);

        await requests.SampleAsync(
            async request =>
            {
                var (route, queryString, body) = request;
                var (method, path, hasBody) = routes[route];
                using var message = new HttpRequestMessage(method, $"{path}?{queryString}") { Content = hasBody ? ApiSyncs.Json(body) : null };
                var before = await fixture.CountAsync();
                using var response = await client.SendAsync(message);
                var status = (int)response.StatusCode;
                Assert.True(status < 500, $"{status}: {await response.Content.ReadAsStringAsync()}");
                if (status >= 400)
                {
                    Assert.Equal(before, await fixture.CountAsync());
                }
            },
            seed: Environment.GetEnvironmentVariable("CALSYNC_FUZZ_SEED") ?? Seed,
            iter: iterations,
            threads: 1,
            print: request => $"{routes[request.Item1].Method} {routes[request.Item1].Path}?{request.Item2} {(routes[request.Item1].Body ? request.Item3 : "")}");
    }

    /// <summary>Any UTF-16 text, often with the characters that have caused trouble: NUL, controls, unpaired surrogates, non-ASCII.</summary>
    private static readonly Gen<string> Text = Gen.Frequency(
            (3, Gen.Char.Array[0, 12].Select(c => new string(c))),
            (3, Gen.Select(Gen.Char['a', 'z'].Array[0, 8], Special, Gen.Int[0, 8], (letters, special, at) =>
                new string(letters).Insert(Math.Min(at, letters.Length), special.ToString()))),
            (2, Gen.OneOf(Special, Gen.Char['a', 'z']).Array[0, 12].Select(c => new string(c))),
            (1, Gen.OneOf(Gen.Const("//evil.example"), Gen.Const("/api/me"), Gen.Const("5"), Gen.Const("true"), Gen.Const(Guid.NewGuid().ToString()))));

    private static Gen<char> Special => Gen.OneOf(
        Gen.Char['\0', '\u001f'], Gen.Char['\ud800', '\udfff'],
        Gen.OneOf(Gen.Const('\0'), Gen.Const('\u007f'), Gen.Const('\u0085'), Gen.Const('é'), Gen.Const(' '), Gen.Const('/'), Gen.Const('\\')));

    /// <summary>Percent-encodes every UTF-16 unit, an unpaired surrogate as the three bytes UTF-8 would give it (which are not valid UTF-8).</summary>
    private static string Escape(string text)
    {
        var escaped = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            int code = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                code = char.ConvertToUtf32(text[i], text[++i]);
            }
            if (code < 0x80 && (char.IsAsciiLetterOrDigit((char)code) || "-._~".Contains((char)code, StringComparison.Ordinal)))
            {
                escaped.Append((char)code);
                continue;
            }
            foreach (var b in Utf8(code))
            {
                escaped.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return escaped.ToString();
    }

    private static byte[] Utf8(int code) => code switch
    {
        < 0x80 => [(byte)code],
        < 0x800 => [(byte)(0xC0 | (code >> 6)), (byte)(0x80 | (code & 0x3F))],
        < 0x10000 => [(byte)(0xE0 | (code >> 12)), (byte)(0x80 | ((code >> 6) & 0x3F)), (byte)(0x80 | (code & 0x3F))],
        _ => [(byte)(0xF0 | (code >> 18)), (byte)(0x80 | ((code >> 12) & 0x3F)), (byte)(0x80 | ((code >> 6) & 0x3F)), (byte)(0x80 | (code & 0x3F))],
    };

    private sealed record FuzzRequest(int Route, string ContentType, byte[] Body);

    private static Gen<FuzzRequest> Requests(ApiUser user)
    {
        var json = Gen.Frequency(
            (4, Edited(user).Select(b => b.ToJsonString())),
            (3, Node(user).Select(n => n?.ToJsonString() ?? "null")),
            (1, Gen.String[0, 40]));
        var body = Gen.Frequency(
            (8, json.Select(Encoding.UTF8.GetBytes)),
            (1, Gen.Byte.Array[0, 64]));
        var contentType = Gen.Frequency((9, Gen.Const("application/json")), (1, Gen.OneOf("application/merge-patch+json", "text/plain", "application/json; charset=utf-16")));
        return Gen.Select(Gen.Int[0, 3], contentType, body, (route, type, bytes) => new FuzzRequest(route, type, bytes));
    }

    /// <summary>A valid sync body with one to three members set to anything (or removed).</summary>
    private static Gen<JsonObject> Edited(ApiUser user) =>
        Gen.Select(Gen.OneOf(FieldPaths), Node(user), Gen.Bool).Array[1, 3].Select(edits =>
        {
            var body = ApiSyncs.OneWayBody(user);
            foreach (var (path, value, remove) in edits)
            {
                body.With(path, value, remove && value is null);
            }
            return body;
        });

    private static Gen<JsonNode?> Node(ApiUser user)
    {
        string[] strings =
        [
            "", " ", "primary", "one-way", "two-way", "origin-wins", "target-wins", "Busy", "0", "5", "11", "12", "*/15 * * * *",
            "0 0 31 2 *", "@daily", "Europe/Berlin", "Mars/Olympus", "\u0000", "\ud800", new string('x', 300),
            user.Accounts[0].Id.ToString(), user.Accounts[1].Id.ToString(), user.Accounts[1].Email, Guid.Empty.ToString(),
        ];
        var leaf = Gen.OneOf<JsonNode?>(
            Gen.Const((JsonNode?)null),
            Gen.Bool.Select(b => (JsonNode?)b),
            Gen.Int.Select(i => (JsonNode?)i),
            Gen.Long.Select(l => (JsonNode?)l),
            Gen.Double.Select(d => (JsonNode?)(double.IsFinite(d) ? d : 1e308)),
            Gen.String.Select(s => (JsonNode?)s),
            Text.Select(s => (JsonNode?)s),
            Gen.OneOf(strings).Select(s => (JsonNode?)s));
        var key = Gen.Frequency((6, Gen.OneOf(FieldNames)), (1, Gen.String[0, 6]));
        return Gen.Recursive<JsonNode?>((depth, node) => depth >= 4
            ? leaf
            : Gen.Frequency(
                (3, leaf),
                (2, Gen.Select(key, node).Array[0, 6].Select(members =>
                {
                    var obj = new JsonObject();
                    foreach (var (name, value) in members)
                    {
                        obj[name] = value;
                    }
                    return (JsonNode?)obj;
                })),
                (1, node.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items)))));
    }
}
