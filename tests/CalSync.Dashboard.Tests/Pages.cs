using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CalSync.Dashboard.Tests;

/// <summary>What the tests do in a browser over and over: sign in through the emulator, check accessibility, read a calendar.</summary>
public static class Pages
{
    /// <summary>Opens <paramref name="path"/> signed out and signs in by clicking the account in the emulator's chooser.</summary>
    public static async Task SignInAsync(IPage page, string path, string email)
    {
        await page.GotoAsync(path);
        await page.GetByRole(AriaRole.Link, new() { Name = email, Exact = false }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == path.Split('?')[0]);
    }

    /// <summary>Picks an account's first calendar (its main one) in the source or target picker.</summary>
    public static Task PickCalendarAsync(IPage page, string side, string email) =>
        page.Locator($"#{side} [data-account='{email}'] input[type=radio]").First.CheckAsync();

    /// <summary>axe-core over the page as it is: no serious or critical violation; and nothing wider than the screen.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var tooWide = await page.EvaluateAsync<string[]>(
            "() => document.documentElement.scrollWidth <= window.innerWidth ? [] : [...document.querySelectorAll('body *')]" +
            ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.outerHTML.slice(0, 80))");
        Assert.True(tooWide.Length == 0, $"{page.Url} is wider than the screen: {string.Join(" | ", tooWide)}");
        var result = await page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(bad.Count == 0, $"{page.Url}: " + string.Join("; ", bad.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }

    /// <summary>Screenshots for the README, when CALSYNC_SCREENSHOTS names a folder.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("CALSYNC_SCREENSHOTS") is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"dashboard-{name}.png"), FullPage = true });
        }
    }

    /// <summary>The titles of the events in an emulator account's primary calendar, as Google holds them.</summary>
    public static async Task<List<string>> TitlesAsync(CalSync.Testing.GoogleSandbox google, string email)
    {
        var json = await google.CallAsApiAsync(email, HttpMethod.Get, "calendar/v3/calendars/primary/events?singleEvents=true");
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.GetProperty("items").EnumerateArray()
            .Where(e => !e.TryGetProperty("status", out var s) || s.GetString() != "cancelled")
            .Select(e => e.TryGetProperty("summary", out var s) ? s.GetString() ?? "" : "")];
    }

    /// <summary>Puts an event in an emulator account's primary calendar, tomorrow.</summary>
    public static Task AddEventAsync(CalSync.Testing.GoogleSandbox google, string email, string title, DateTimeOffset now)
    {
        var start = now.UtcDateTime.Date.AddDays(1).AddHours(10);
        var body = JsonSerializer.Serialize(new
        {
            summary = title,
            description = "details only the owner should see",
            start = new { dateTime = start.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) },
            end = new { dateTime = start.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) },
        });
        return google.CallAsApiAsync(email, HttpMethod.Post, "calendar/v3/calendars/primary/events", body);
    }
}
