using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalSync.Engine.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace CalSync.Api.Tests;

/// <summary>Copy rules in the sync JSON: created, shown, merged by a patch, read by the engine as given, and every bad value a field-named 400.</summary>
public sealed class CopyRuleApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static JsonObject Rules() => JsonNode.Parse("""
        {
          "filter": {
            "skipDeclined": false, "tentative": "free", "needsAction": "skip", "freeEvents": "skip", "allDay": "busyOnly",
            "workingHours": { "days": ["monday", "friday"], "from": "08:30", "to": "17:00", "timeZone": "America/New_York" },
            "include": ["client"], "exclude": ["private", "lunch"], "matchDescription": true,
            "includeColors": ["5"], "excludeColors": ["11"],
            "outOfOffice": "skip", "focusTime": "ownType", "workingLocation": "copy", "birthday": "skip"
          },
          "look": {
            "title": "template", "titleTemplate": "{calendar}: {title}", "description": "drop", "location": "drop",
            "conference": "keep", "attendees": "namesAndEmails", "visibility": "private", "showAs": "busy", "reminders": "calendarDefault"
          }
        }
        """)!.AsObject();

    private static readonly CopyStyle Expected = new()
    {
        Filter = new CopyFilter
        {
            SkipDeclined = false, Tentative = InvitationRule.Free, NeedsAction = InvitationRule.Skip, FreeEvents = FreeEventRule.Skip,
            AllDay = AllDayRule.BusyOnly,
            WorkingHours = new WorkingHours([DayOfWeek.Monday, DayOfWeek.Friday], new TimeOnly(8, 30), new TimeOnly(17, 0), "America/New_York"),
            Include = ["client"], Exclude = ["private", "lunch"], MatchDescription = true, IncludeColors = ["5"], ExcludeColors = ["11"],
            OutOfOffice = BusyTypeRule.Skip, FocusTime = BusyTypeRule.OwnType, WorkingLocation = PersonalTypeRule.Copy, Birthday = PersonalTypeRule.Skip,
        },
        Look = new CopyLook
        {
            Title = TitleRule.Template, TitleTemplate = "{calendar}: {title}", Description = FieldRule.Drop, Location = FieldRule.Drop,
            Conference = FieldRule.Keep, Attendees = AttendeeRule.NamesAndEmails, Visibility = VisibilityRule.Private, ShowAs = ShowAsRule.Busy, Reminders = ReminderRule.CalendarDefault,
        },
    };

    private Task<SyncDefinition?> EngineViewAsync(Guid syncId) =>
        fixture.Api.Services.GetRequiredService<SyncStore>().GetDefinitionAsync(syncId, CancellationToken.None);

    [Fact]
    public async Task Rules_given_at_create_are_shown_and_reach_the_engine_as_given()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);

        var created = await user.CreateSyncAsync(ApiSyncs.OneWayBody(user).With("copyToTarget", Rules()));

        var id = created.GetProperty("id").GetGuid();
        Assert.True(JsonNode.DeepEquals(Rules()["filter"], JsonNode.Parse(created.GetProperty("copyToTarget").GetProperty("filter").GetRawText())));
        Assert.True(JsonNode.DeepEquals(Rules()["look"], JsonNode.Parse(created.GetProperty("copyToTarget").GetProperty("look").GetRawText())));
        var fetched = await user.Client.GetFromJsonAsync<JsonElement>($"/api/syncs/{id}");
        Assert.Equal(created.GetProperty("copyToTarget").GetRawText(), fetched.GetProperty("copyToTarget").GetRawText());

        var engine = (await EngineViewAsync(id))!;
        Assert.Equal(Expected, engine.AToB);
        // {calendar} is the source calendar's name at Google, {account} its account's email.
        Assert.Equal(user.Accounts[0].Email, engine.LabelA.Account);
        Assert.False(string.IsNullOrEmpty(engine.LabelA.Calendar));
    }

    [Fact]
    public async Task Without_rules_a_sync_shows_the_defaults()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);

        var created = await user.CreateSyncAsync();

        var copy = created.GetProperty("copyToTarget");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            { "skipDeclined": true, "tentative": "copy", "needsAction": "copy", "freeEvents": "copy", "allDay": "all", "workingHours": null,
              "include": [], "exclude": [], "matchDescription": false, "includeColors": [], "excludeColors": [],
              "outOfOffice": "busy", "focusTime": "busy", "workingLocation": "skip", "birthday": "skip" }
            """), JsonNode.Parse(copy.GetProperty("filter").GetRawText())), copy.GetProperty("filter").GetRawText());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            { "title": "keep", "titleTemplate": "{title}", "description": "keep", "location": "keep", "conference": "drop",
              "attendees": "none", "visibility": "keep", "showAs": "keep", "reminders": "none" }
            """), JsonNode.Parse(copy.GetProperty("look").GetRawText())), copy.GetProperty("look").GetRawText());
        Assert.Equal(new CopyStyle(), (await EngineViewAsync(created.GetProperty("id").GetGuid()))!.AToB);
    }

    [Fact]
    public async Task A_patch_merges_rules_member_by_member_and_null_returns_to_the_defaults()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var id = (await user.CreateSyncAsync(ApiSyncs.OneWayBody(user).With("copyToTarget", Rules()))).GetProperty("id").GetGuid();

        using (var patched = await user.Client.PatchSyncAsync(id, """{ "copyToTarget": { "filter": { "allDay": "skip", "include": null }, "look": { "showAs": null } } }"""))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }
        var expected = Expected with
        {
            Filter = Expected.Filter with { AllDay = AllDayRule.Skip, Include = [] },
            Look = Expected.Look with { ShowAs = ShowAsRule.Keep },
        };
        Assert.Equal(expected, (await EngineViewAsync(id))!.AToB);

        // The privacy switch works as before and leaves the rules alone.
        using (var privately = await user.Client.PatchSyncAsync(id, """{ "copyToTarget": { "privacy": true, "placeholder": "Away" } }"""))
        {
            Assert.Equal(HttpStatusCode.OK, privately.StatusCode);
        }
        Assert.Equal(expected with { Privacy = true, Placeholder = "Away" }, (await EngineViewAsync(id))!.AToB);

        using (var reset = await user.Client.PatchSyncAsync(id, """{ "copyToTarget": { "filter": null, "look": null } }"""))
        {
            Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        }
        Assert.Equal(new CopyStyle(Privacy: true, Placeholder: "Away"), (await EngineViewAsync(id))!.AToB);
    }

    [Fact]
    public async Task Two_way_rules_per_direction()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var body = ApiSyncs.OneWayBody(user).With("direction", "two-way")
            .With("copyToSource.filter", new JsonObject { ["allDay"] = "skip" })
            .With("copyToTarget.look", new JsonObject { ["title"] = "placeholder" });

        var id = (await user.CreateSyncAsync(body)).GetProperty("id").GetGuid();

        var engine = (await EngineViewAsync(id))!;
        Assert.Equal(new CopyStyle { Look = CopyLook.Default with { Title = TitleRule.Placeholder } }, engine.AToB);
        Assert.Equal(new CopyStyle { Filter = CopyFilter.Default with { AllDay = AllDayRule.Skip } }, engine.BToA);
    }

    [Fact]
    public async Task Each_bad_rule_is_a_400_naming_its_field()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var hours = new JsonObject { ["days"] = new JsonArray("monday"), ["from"] = "09:00", ["to"] = "17:00", ["timeZone"] = "Europe/Berlin" };
        JsonObject Hours(string member, JsonNode? value)
        {
            var copy = hours.DeepClone().AsObject();
            copy[member] = value;
            return copy;
        }
        const string F = "copyToTarget.filter.";
        const string L = "copyToTarget.look.";
        (string Case, string Path, JsonNode? Value, string Field)[] cases =
        [
            ("unknown filter key", F + "skipDeclind", true, F + "skipDeclind"),
            ("unknown look key", L + "colour", "red", L + "colour"),
            ("tentative unknown", F + "tentative", "maybe", F + "tentative"),
            ("tentative in capitals", F + "tentative", "Free", F + "tentative"),
            ("needsAction a number", F + "needsAction", 1, F + "needsAction"),
            ("freeEvents unknown", F + "freeEvents", "busy", F + "freeEvents"),
            ("allDay unknown", F + "allDay", "some", F + "allDay"),
            ("outOfOffice as its type, misspelt", F + "outOfOffice", "owntype", F + "outOfOffice"),
            ("birthday unknown", F + "birthday", "busy", F + "birthday"),
            ("skipDeclined a string", F + "skipDeclined", "yes", F + "skipDeclined"),
            ("include a string", F + "include", "client", F + "include"),
            ("include a blank word", F + "include", new JsonArray(" "), F + "include"),
            ("include a null word", F + "include", new JsonArray((JsonNode?)null), F + "include"),
            ("exclude a long word", F + "exclude", new JsonArray(new string('w', 101)), F + "exclude"),
            ("exclude 51 words", F + "exclude", new JsonArray([.. Enumerable.Range(0, 51).Select(i => (JsonNode?)JsonValue.Create($"w{i}"))]), F + "exclude"),
            ("includeColors 12", F + "includeColors", new JsonArray("12"), F + "includeColors"),
            ("excludeColors a number", F + "excludeColors", new JsonArray(5), F + "excludeColors[0]"),
            ("working hours on Mars", F + "workingHours", Hours("timeZone", "Mars/Olympus"), F + "workingHours.timeZone"),
            ("working hours by Windows zone name", F + "workingHours", Hours("timeZone", "W. Europe Standard Time"), F + "workingHours.timeZone"),
            ("working hours without zone", F + "workingHours", Hours("timeZone", null), F + "workingHours.timeZone"),
            ("from = to", F + "workingHours", Hours("to", "09:00"), F + "workingHours.to"),
            ("from after to", F + "workingHours", Hours("from", "18:00"), F + "workingHours.to"),
            ("from 25:00", F + "workingHours", Hours("from", "25:00"), F + "workingHours.from"),
            ("from 9am", F + "workingHours", Hours("from", "9am"), F + "workingHours.from"),
            ("to missing", F + "workingHours", Hours("to", null), F + "workingHours.to"),
            ("no days", F + "workingHours", Hours("days", new JsonArray()), F + "workingHours.days"),
            ("a day twice", F + "workingHours", Hours("days", new JsonArray("monday", "monday")), F + "workingHours.days"),
            ("a day in capitals", F + "workingHours", Hours("days", new JsonArray("Monday")), F + "workingHours.days"),
            ("a day by number", F + "workingHours", Hours("days", new JsonArray("1")), F + "workingHours.days"),
            ("working hours unknown key", F + "workingHours", Hours("lunch", "12:00"), F + "workingHours.lunch"),
            ("title unknown", L + "title", "hide", L + "title"),
            ("title template blank", L + "titleTemplate", " ", L + "titleTemplate"),
            ("title template too long", L + "titleTemplate", new string('t', 201), L + "titleTemplate"),
            ("title template with a misspelt placeholder", L + "titleTemplate", "{titel} (busy)", L + "titleTemplate"),
            ("title template with a placeholder in capitals", L + "titleTemplate", "{Title}", L + "titleTemplate"),
            ("conference link", L + "conference", "link", L + "conference"),
            ("conference true", L + "conference", true, L + "conference"),
            ("attendees invite", L + "attendees", "invite", L + "attendees"),
            ("visibility public", L + "visibility", "public", L + "visibility"),
            ("showAs tentative", L + "showAs", "tentative", L + "showAs"),
            ("reminders popup", L + "reminders", "popup", L + "reminders"),
            ("filter a string", "copyToTarget.filter", "all", "copyToTarget.filter"),
        ];

        var existing = (await user.CreateSyncAsync()).GetProperty("id").GetGuid();
        var failures = new List<string>();
        foreach (var (name, path, value, field) in cases)
        {
            using var response = await user.Client.PostSyncAsync(ApiSyncs.OneWayBody(user).With(path, value?.DeepClone()));
            var keys = response.StatusCode == HttpStatusCode.BadRequest ? await ApiSyncs.ErrorKeysAsync(response) : [];
            if (response.StatusCode != HttpStatusCode.BadRequest || keys is not [var only] || only != field)
            {
                failures.Add($"{name}: {(int)response.StatusCode} [{string.Join(", ", keys)}], expected 400 [{field}]");
            }
            using var patch = await user.Client.PatchSyncAsync(existing, new JsonObject().With(path, value?.DeepClone()).ToJsonString());
            var patchKeys = patch.StatusCode == HttpStatusCode.BadRequest ? await ApiSyncs.ErrorKeysAsync(patch) : [];
            if (patch.StatusCode != HttpStatusCode.BadRequest || patchKeys is not [var patchOnly] || patchOnly != field)
            {
                failures.Add($"{name} (patch): {(int)patch.StatusCode} [{string.Join(", ", patchKeys)}], expected 400 [{field}]");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // Nothing was stored along the way.
        Assert.Equal(new CopyStyle(), (await EngineViewAsync(existing))!.AToB);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_rule_and_its_values()
    {
        using var client = fixture.Api.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        foreach (var (schema, members) in new[]
        {
            ("CopyFilterBody", typeof(CopyFilter).GetProperties().Where(p => p.DeclaringType == typeof(CopyFilter) && p.Name != "EqualityContract" && p.CanWrite).Select(p => p.Name)),
            ("CopyLookBody", typeof(CopyLook).GetProperties().Where(p => p.CanWrite && p.Name != "EqualityContract").Select(p => p.Name)),
        })
        {
            var properties = schemas.GetProperty(schema).GetProperty("properties");
            foreach (var member in members)
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(member);
                Assert.True(properties.TryGetProperty(name, out var property), $"{schema}.{name} is missing");
                // A nullable member of an object type is a oneOf of null and a reference, which carries the description.
                var described = property.TryGetProperty("oneOf", out var choices)
                    ? choices.EnumerateArray().Single(c => c.TryGetProperty("$ref", out _))
                    : property;
                Assert.True(described.TryGetProperty("description", out var description) && description.GetString()!.Length > 10, $"{schema}.{name} has no description");
            }
        }
        var allDay = schemas.GetProperty("CopyFilterBody").GetProperty("properties").GetProperty("allDay");
        Assert.Equal(["all", "busyOnly", "skip"], allDay.GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
    }
}
