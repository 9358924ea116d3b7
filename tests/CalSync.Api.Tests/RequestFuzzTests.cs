using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CalSync.Api.Tests;

/// <summary>
/// Random bodies at every route that reads one: random JSON built from the real field names (any value, type or
/// nesting), valid bodies with one field made random, and bytes that are not JSON at all. Whatever arrives, the answer
/// is never a 5xx. The seed is fixed (<c>CALSYNC_FUZZ_SEED</c> overrides it, <c>CALSYNC_FUZZ_ITERATIONS</c> the count);
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
