// Throughput figure for the emulator README (printed, never asserted).
// Usage: dotnet run src/CalSync.GoogleEmulator/bench/throughput.cs -- http://127.0.0.1:8044 [inserts] [concurrency]
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property PublishAot=false
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

var baseUri = new Uri(args.Length > 0 ? args[0].TrimEnd('/') + "/" : "http://127.0.0.1:8044/");
var inserts = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
using var http = new HttpClient { BaseAddress = baseUri };
var email = $"bench-{Guid.NewGuid():N}@example.com";
(await http.PostAsJsonAsync("emulator/accounts", new { email, name = "Bench" })).EnsureSuccessStatusCode();
var token = JsonNode.Parse(await (await http.PostAsync($"emulator/accounts/{Uri.EscapeDataString(email)}/token", null)).Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
http.DefaultRequestHeaders.Authorization = new("Bearer", token);
var events = $"calendar/v3/calendars/{Uri.EscapeDataString(email)}/events";

var next = -1;
var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < inserts)
    {
        var start = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(30 * i);
        using var response = await http.PostAsJsonAsync(events, new
        {
            summary = $"Event {i}", description = "Bench event with a little text", location = "Room 1",
            start = new { dateTime = start.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture) },
            end = new { dateTime = start.AddMinutes(25).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture) },
            extendedProperties = new { @private = new { calsyncSync = "bench", origin = i.ToString(CultureInfo.InvariantCulture) } },
        });
        response.EnsureSuccessStatusCode();
    }
}));
var insertRate = inserts / clock.Elapsed.TotalSeconds;

var pages = 0;
clock.Restart();
while (clock.Elapsed < TimeSpan.FromSeconds(10))
{
    string? pageToken = null;
    do
    {
        var url = events + "?maxResults=2500" + (pageToken is null ? "" : "&pageToken=" + Uri.EscapeDataString(pageToken));
        // Only the cursor is read: parsing 2 MB pages in the load generator would measure the client, not the emulator.
        var page = await http.GetStringAsync(url);
        pages++;
        var at = page.IndexOf("\"nextPageToken\":\"", StringComparison.Ordinal);
        pageToken = at < 0 ? null : page[(at + 17)..page.IndexOf('"', at + 17)];
    }
    while (pageToken is not null);
}

var pageRate = pages / clock.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"inserts: {inserts} with concurrency {concurrency}: {insertRate:F0}/s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"events.list pages of 2500 (calendar of {inserts} events): {pageRate:F1}/s ({pageRate * 2500:F0} events/s)"));
