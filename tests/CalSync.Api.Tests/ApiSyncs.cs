using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CalSync.Api.Tests;

/// <summary>Sync bodies to start from and edit by JSON path, and the calls that send them.</summary>
public static class ApiSyncs
{
    /// <summary>A valid one-way sync from the user's first account's primary calendar to their second's.</summary>
    public static JsonObject OneWayBody(ApiUser user, string name = "Work to personal")
    {
        ArgumentNullException.ThrowIfNull(user);
        return new JsonObject
        {
            ["name"] = name,
            ["source"] = new JsonObject { ["accountId"] = user.Accounts[0].Id, ["calendarId"] = "primary" },
            ["target"] = new JsonObject { ["accountId"] = user.Accounts[1].Id, ["calendarId"] = "primary" },
            ["direction"] = "one-way",
        };
    }

    /// <summary>Sets (or, with <paramref name="remove"/>, removes) the member at a dotted path such as <c>source.calendarId</c>.</summary>
    public static JsonObject With(this JsonObject body, string path, JsonNode? value, bool remove = false)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(path);
        var names = path.Split('.');
        var parent = body;
        foreach (var name in names[..^1])
        {
            if (parent[name] is not JsonObject child)
            {
                parent[name] = child = [];
            }
            parent = child;
        }
        if (remove)
        {
            parent.Remove(names[^1]);
        }
        else
        {
            parent[names[^1]] = value;
        }
        return body;
    }

    public static JsonObject Without(this JsonObject body, string path) => body.With(path, null, remove: true);

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostSyncAsync(this HttpClient client, JsonNode body) =>
        client.PostAsync("/api/syncs", Json(body.ToJsonString()));

    public static Task<HttpResponseMessage> PatchSyncAsync(this HttpClient client, Guid syncId, string json) =>
        client.PatchAsync($"/api/syncs/{syncId}", new StringContent(json, Encoding.UTF8, "application/merge-patch+json"));

    /// <summary>Creates a sync that must be valid; returns its reply.</summary>
    public static async Task<JsonElement> CreateSyncAsync(this ApiUser user, JsonObject? body = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var response = await user.Client.PostSyncAsync(body ?? OneWayBody(user));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The keys of a 400 validation problem's <c>errors</c>.</summary>
    public static async Task<IReadOnlyList<string>> ErrorKeysAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.TryGetProperty("errors", out var errors) ? [.. errors.EnumerateObject().Select(e => e.Name)] : [];
    }
}
