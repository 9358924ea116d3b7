using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace CalSync.GoogleEmulator.Tests.Kit;

/// <summary>A signed-in account: sends Calendar requests with its bearer token.</summary>
public sealed class GoogleUser(HttpClient http, string email, string accessToken, string refreshToken)
{
    public string Email { get; } = email;

    public string AccessToken { get; } = accessToken;

    public string RefreshToken { get; } = refreshToken;

    /// <summary>Primary calendar events path, percent-encoded as clients send it.</summary>
    public string Events => $"calendar/v3/calendars/{Uri.EscapeDataString(Email)}/events";

    public Task<Reply> GetAsync(string path, params (string Name, string Value)[] headers) => SendAsync(HttpMethod.Get, path, null, headers);

    public Task<Reply> PostAsync(string path, object? body, params (string Name, string Value)[] headers) => SendAsync(HttpMethod.Post, path, body, headers);

    public Task<Reply> PutAsync(string path, object? body, params (string Name, string Value)[] headers) => SendAsync(HttpMethod.Put, path, body, headers);

    public Task<Reply> PatchAsync(string path, object? body, params (string Name, string Value)[] headers) => SendAsync(HttpMethod.Patch, path, body, headers);

    public Task<Reply> DeleteAsync(string path, params (string Name, string Value)[] headers) => SendAsync(HttpMethod.Delete, path, null, headers);

    public async Task<Reply> SendAsync(HttpMethod method, string path, object? body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            var text = body as string ?? (body is JsonNode node ? node.ToJsonString() : System.Text.Json.JsonSerializer.Serialize(body));
            request.Content = new StringContent(text, Encoding.UTF8, "application/json");
        }

        return await Reply.ReadAsync(await http.SendAsync(request));
    }

    /// <summary>Inserts a one-hour timed event on the primary calendar and returns it.</summary>
    public async Task<JsonNode> InsertAsync(string summary, DateTimeOffset start, Action<JsonObject>? customize = null, string? calendarPath = null)
    {
        var body = new JsonObject
        {
            ["summary"] = summary,
            ["start"] = new JsonObject { ["dateTime"] = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture) },
            ["end"] = new JsonObject { ["dateTime"] = start.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture) },
        };
        customize?.Invoke(body);
        var reply = await PostAsync(calendarPath ?? Events, body);
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Text);
        return reply.Json!;
    }
}

/// <summary>A response read in full.</summary>
public sealed record Reply(HttpStatusCode Status, JsonNode? Json, string Text, HttpResponseMessage Message)
{
    public string? Reason => Json?["error"]?["errors"]?[0]?["reason"]?.GetValue<string>();

    public string? ErrorMessage => Json?["error"]?["message"]?.GetValue<string>();

    public JsonArray Items => Json!["items"]!.AsArray();

    public IEnumerable<string> ItemIds => Items.Select(i => i!["id"]!.GetValue<string>());

    public static async Task<Reply> ReadAsync(HttpResponseMessage message)
    {
        var text = await message.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (text.StartsWith('{') || text.StartsWith('['))
        {
            json = JsonNode.Parse(text);
        }

        return new Reply(message.StatusCode, json, text, message);
    }
}
