using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Api;
using CalSync.GoogleEmulator.Hosting;
using CalSync.GoogleEmulator.Store;
using Microsoft.Extensions.Options;

namespace CalSync.GoogleEmulator.Seed;

/// <summary>
/// Loads accounts, calendars, shares and events from a seed document (a file, or "demo") at start-up (unless a
/// state file brought the emulator's memory back) and after a reset. Events go through the same handlers as API calls, so a seed is validated like one.
/// </summary>
internal sealed partial class SeedLoader(EmulatorState state, IOptions<EmulatorOptions> options, IConfiguration configuration, TimeProvider time,
    ILogger<SeedLoader> logger)
{
    public string? Source => options.Value.SeedFile ?? configuration["seed"];

    public void Apply()
    {
        var document = Source switch
        {
            null or "" or "none" => null,
            "demo" => DemoSeed.Build(time.GetUtcNow()),
            var path => JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                        ?? throw new InvalidOperationException($"Seed file {path} does not hold a JSON object."),
        };
        if (document is not null)
        {
            lock (state.Gate)
            {
                Apply(document);
                if (logger.IsEnabled(LogLevel.Information))
                {
                    var events = state.Calendars.Values.Sum(c => c.Events.Count);
                    LogSeeded(logger, state.Accounts.Count, state.Calendars.Count, events, Source!);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Accounts} accounts, {Calendars} calendars and {Events} events from {Source}")]
    private static partial void LogSeeded(ILogger logger, int accounts, int calendars, int events, string source);

    private void Apply(JsonObject document)
    {
        var shares = new List<(CalendarState Calendar, string Email, string Role)>();
        foreach (var a in document["accounts"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var account = state.CreateAccount(a.String("email")!, a.String("name") ?? a.String("email")!, a.String("timeZone") ?? "UTC");
            AddEvents(account, state.Calendars[account.Email], a["events"]);
            foreach (var c in a["calendars"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                var calendar = state.CreateCalendar(account, c.String("summary") ?? "Calendar",
                    c.String("timeZone") ?? state.Calendars[account.Email].TimeZone, c.String("id"));
                calendar.Description = c.String("description");
                AddEvents(account, calendar, c["events"]);
                foreach (var s in c["shareWith"]?.AsArray().OfType<JsonObject>() ?? [])
                {
                    shares.Add((calendar, s.String("email")!, s.String("role") ?? "reader"));
                }
            }
        }

        foreach (var (calendar, email, role) in shares)
        {
            if (state.Accounts.TryGetValue(email, out var account))
            {
                state.Share(calendar, account, role);
            }
        }
    }

    private void AddEvents(Account owner, CalendarState calendar, JsonNode? events)
    {
        foreach (var e in events?.AsArray().OfType<JsonObject>() ?? [])
        {
            ApiResponse result;
            if (e.String("recurringEventId") is { } seriesId && e["originalStartTime"] is { } original)
            {
                // An exception: address the instance by its Google id and modify or cancel it.
                var id = seriesId + "_" + Suffix(original, calendar.TimeZone);
                var ctx = Context(owner, [calendar.Id, id], e);
                result = e.String("status") == "cancelled" ? EventsApi.Delete(ctx) : EventsApi.Update(ctx);
            }
            else
            {
                result = EventsApi.Insert(Context(owner, [calendar.Id], e), byGoogle: true);
            }

            if (result.Status >= 300)
            {
                throw new InvalidOperationException($"Seed event {e.String("summary") ?? e.String("id")} in {calendar.Id} was refused: " +
                                                    Encoding.UTF8.GetString(result.Body ?? []));
            }
        }
    }

    private CallContext Context(Account owner, List<string> args, JsonObject body) =>
        new(new ApiRequest("POST", "", QueryParams.Parse(null), ApiRequest.NewHeaders(), GoogleJson.ToUtf8(body)), owner, state, args);

    private static string Suffix(JsonNode original, string calendarTimeZone)
    {
        var time = EventTime.Parse(original, calendarTimeZone, out _) ?? throw new InvalidOperationException("Bad originalStartTime in seed.");
        return time.IsAllDay
            ? time.Date!.Value.ToString("yyyyMMdd", CultureInfo.InvariantCulture)
            : time.Instant.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
    }
}
