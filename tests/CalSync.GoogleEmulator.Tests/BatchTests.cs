using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Tests.Kit;

namespace CalSync.GoogleEmulator.Tests;

public sealed class BatchTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Theory]
    [InlineData("\r\n", true)]
    [InlineData("\n", false)]
    public async Task Batch_runs_parts_in_order_with_mixed_results_and_content_ids(string newline, bool quotedBoundary)
    {
        var user = await fixture.NewUserAsync();
        var existing = await user.InsertAsync("existing", new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero));
        var events = "/" + user.Events;
        var insert = Bodies.Timed("from batch").ToJsonString();
        var body = string.Join(newline,
            "--b0undary",
            "Content-Type: application/http",
            "Content-ID: <item1:abc@example.com>",
            "",
            $"POST {events} HTTP/1.1",
            "Content-Type: application/json",
            "",
            insert,
            "--b0undary",
            "Content-Type: application/http",
            "Content-ID: <item2:abc@example.com>",
            "",
            $"GET {events}/doesnotexist0",
            "",
            "",
            "--b0undary",
            "Content-Type: application/http",
            "",
            $"PATCH http://www.googleapis.com{events}/{existing["id"]}",
            "Content-Type: application/json",
            "If-Match: \"1\"",
            "",
            "{\"summary\":\"stale\"}",
            "--b0undary--",
            "");

        var (status, contentType, parts) = await SendBatchAsync(user, body, quotedBoundary ? "\"b0undary\"" : "b0undary");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("\"", contentType.Split("boundary=")[1], StringComparison.Ordinal);
        Assert.Equal(3, parts.Count);
        Assert.Equal("<response-item1:abc@example.com>", parts[0].ContentId);
        Assert.Equal(200, parts[0].Status);
        Assert.Equal("from batch", JsonNode.Parse(parts[0].Body)!["summary"]!.GetValue<string>());
        Assert.Equal("<response-item2:abc@example.com>", parts[1].ContentId);
        Assert.Equal(404, parts[1].Status);
        Assert.Null(parts[2].ContentId);
        Assert.Equal(412, parts[2].Status);
        Assert.Equal("conditionNotMet", JsonNode.Parse(parts[2].Body)!["error"]!["errors"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_part_counts_as_a_call_and_the_batch_only_as_an_http_request()
    {
        var user = await fixture.NewUserAsync();
        var part = string.Join("\r\n", "--x", "Content-Type: application/http", "", $"POST /{user.Events}", "Content-Type: application/json", "",
            Bodies.Timed("p").ToJsonString());
        var body = string.Join("\r\n", part, part, part, "--x--", "");

        await SendBatchAsync(user, body, "x");
        var stats = JsonNode.Parse(await fixture.Http.GetStringAsync("emulator/stats"))!["accounts"]![user.Email]!;

        Assert.Equal(3, stats["total"]!.GetValue<int>());
        Assert.Equal(1, stats["httpRequests"]!.GetValue<int>());
        Assert.Equal(3, stats["byMethod"]!["calendar.events.insert"]!.GetValue<int>());
    }

    [Fact]
    public async Task Dotnet_client_style_batch_with_absolute_urls_and_content_length_lines_works()
    {
        var user = await fixture.NewUserAsync();
        var json = Bodies.Timed("dotnet style").ToJsonString();
        var url = $"https://www.googleapis.com/{user.Events}";

        // Google.Apis BatchRequest: quoted boundary, no Content-ID, "METHOD absolute-url" without a version, Environment.NewLine (LF here).
        var body = string.Join("\n",
            "--3f2b", "Content-Type: application/http", "", $"POST {url}", "Content-Type: application/json; charset=utf-8",
            $"Content-Length:  {json.Length}", "", json,
            "--3f2b", "Content-Type: application/http", "", $"GET {url}?maxResults=1", "", "",
            "--3f2b--", "");

        var (status, _, parts) = await SendBatchAsync(user, body, "\"3f2b\"");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([200, 200], parts.Select(p => p.Status));
        Assert.Equal("dotnet style", JsonNode.Parse(parts[1].Body)!["items"]![0]!["summary"]!.GetValue<string>());
    }

    internal sealed record Part(string? ContentId, int Status, string Body);

    private async Task<(HttpStatusCode Status, string ContentType, List<Part> Parts)> SendBatchAsync(GoogleUser user, string body, string boundary)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "batch/calendar/v3") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/mixed; boundary={boundary}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        using var response = await fixture.Http.SendAsync(request);
        var contentType = response.Content.Headers.ContentType!.ToString();
        var responseBoundary = contentType.Split("boundary=")[1];
        var text = await response.Content.ReadAsStringAsync();
        var parts = new List<Part>();
        foreach (var chunk in text.Split("--" + responseBoundary).Skip(1).Where(c => !c.StartsWith("--", StringComparison.Ordinal)))
        {
            var sections = chunk.Split("\r\n\r\n", 3);
            var contentId = sections[0].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-ID:", StringComparison.Ordinal))?["Content-ID:".Length..].Trim();
            var status = int.Parse(sections[1].Split("\r\n")[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            parts.Add(new Part(contentId, status, sections.Length > 2 ? sections[2].TrimEnd('\r', '\n') : ""));
        }

        return (response.StatusCode, contentType, parts);
    }
}
