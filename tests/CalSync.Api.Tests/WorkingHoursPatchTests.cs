using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalSync.Engine.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace CalSync.Api.Tests;

/// <summary>
/// A patch merges <c>filter.workingHours</c> member by member into the sync's working hours, as it does the rest of the
/// rules; null removes them; what the merge gives is checked as a whole, each fault a field-named 400.
/// </summary>
public sealed class WorkingHoursPatchTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string F = "copyToTarget.filter.workingHours";

    private static readonly WorkingHours Stored = new([DayOfWeek.Monday, DayOfWeek.Friday], new TimeOnly(8, 30), new TimeOnly(17, 0), "America/New_York");

    private static JsonObject StoredBody() => new()
    {
        ["days"] = new JsonArray("monday", "friday"), ["from"] = "08:30", ["to"] = "17:00", ["timeZone"] = "America/New_York",
    };

    private async Task<WorkingHours?> EngineHoursAsync(Guid syncId) =>
        (await fixture.Api.Services.GetRequiredService<SyncStore>().GetDefinitionAsync(syncId, CancellationToken.None))!.AToB.Filter.WorkingHours;

    private static async Task<(ApiUser User, Guid Id)> SyncAsync(ApiFixture fixture, JsonObject? hours)
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var body = ApiSyncs.OneWayBody(user).With("copyToTarget.filter", new JsonObject { ["exclude"] = new JsonArray("private") });
        if (hours is not null)
        {
            body.With(F, hours);
        }
        return (user, (await user.CreateSyncAsync(body)).GetProperty("id").GetGuid());
    }

    private static async Task<HttpResponseMessage> PatchHoursAsync(ApiUser user, Guid id, JsonNode? hours) =>
        await user.Client.PatchSyncAsync(id, new JsonObject().With(F, hours).ToJsonString());

    [Fact]
    public async Task A_patch_of_one_member_keeps_the_others()
    {
        var (user, id) = await SyncAsync(fixture, StoredBody());

        using (var patched = await PatchHoursAsync(user, id, new JsonObject { ["to"] = "18:00" }))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
            var shown = (await patched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("copyToTarget").GetProperty("filter").GetProperty("workingHours");
            Assert.True(JsonNode.DeepEquals(StoredBody().With("to", "18:00"), JsonNode.Parse(shown.GetRawText())));
        }
        Assert.Equal(Stored with { To = new TimeOnly(18, 0) }, await EngineHoursAsync(id));

        using (var patched = await PatchHoursAsync(user, id, new JsonObject { ["days"] = new JsonArray("tuesday"), ["timeZone"] = "Asia/Tokyo" }))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }
        Assert.Equal(new WorkingHours([DayOfWeek.Tuesday], new TimeOnly(8, 30), new TimeOnly(18, 0), "Asia/Tokyo"), await EngineHoursAsync(id));

        // The filter's other members are untouched by it all.
        var filter = (await fixture.Api.Services.GetRequiredService<SyncStore>().GetDefinitionAsync(id, CancellationToken.None))!.AToB.Filter;
        Assert.Equal(["private"], filter.Exclude);
    }

    [Fact]
    public async Task Null_removes_the_working_hours()
    {
        var (user, id) = await SyncAsync(fixture, StoredBody());

        using var patched = await PatchHoursAsync(user, id, null);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Null(await EngineHoursAsync(id));
        Assert.Equal(JsonValueKind.Null, (await patched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("copyToTarget").GetProperty("filter").GetProperty("workingHours").ValueKind);
    }

    [Fact]
    public async Task Without_working_hours_yet_a_partial_object_is_a_400_naming_each_missing_member()
    {
        var (user, id) = await SyncAsync(fixture, hours: null);

        using var patched = await PatchHoursAsync(user, id, new JsonObject { ["to"] = "18:00" });

        Assert.Equal(HttpStatusCode.BadRequest, patched.StatusCode);
        Assert.Equal(new[] { F + ".days", F + ".from", F + ".timeZone" }.Order(StringComparer.Ordinal), (await ApiSyncs.ErrorKeysAsync(patched)).Order(StringComparer.Ordinal));
        Assert.Null(await EngineHoursAsync(id));
    }

    [Fact]
    public async Task What_a_merge_gives_is_checked_as_a_whole_and_each_fault_names_its_member()
    {
        var (user, id) = await SyncAsync(fixture, StoredBody());
        (string Case, JsonObject Patch, string Field)[] cases =
        [
            ("to before the stored from", new JsonObject { ["to"] = "08:00" }, F + ".to"),
            ("from after the stored to", new JsonObject { ["from"] = "17:30" }, F + ".from"),
            ("from equal to the stored to", new JsonObject { ["from"] = "17:00" }, F + ".from"),
            ("both given, from after to", new JsonObject { ["from"] = "12:00", ["to"] = "11:00" }, F + ".to"),
            ("a zone that does not exist", new JsonObject { ["timeZone"] = "Mars/Olympus" }, F + ".timeZone"),
            ("to removed", new JsonObject { ["to"] = null }, F + ".to"),
            ("days removed", new JsonObject { ["days"] = null }, F + ".days"),
            ("no days", new JsonObject { ["days"] = new JsonArray() }, F + ".days"),
            ("zone removed", new JsonObject { ["timeZone"] = null }, F + ".timeZone"),
            ("an unknown member", new JsonObject { ["lunch"] = "12:00" }, F + ".lunch"),
        ];

        var failures = new List<string>();
        foreach (var (name, patch, field) in cases)
        {
            using var response = await PatchHoursAsync(user, id, patch);
            var keys = response.StatusCode == HttpStatusCode.BadRequest ? await ApiSyncs.ErrorKeysAsync(response) : [];
            if (response.StatusCode != HttpStatusCode.BadRequest || keys is not [var only] || only != field)
            {
                failures.Add($"{name}: {(int)response.StatusCode} [{string.Join(", ", keys)}], expected 400 [{field}]");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(Stored, await EngineHoursAsync(id));
    }

    [Fact]
    public async Task The_OpenAPI_document_says_working_hours_merge_and_what_a_first_patch_needs()
    {
        using var client = fixture.Api.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var property = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("CopyFilterBody").GetProperty("properties").GetProperty("workingHours");
        var described = property.TryGetProperty("oneOf", out var choices) ? choices.EnumerateArray().Single(c => c.TryGetProperty("$ref", out _)) : property;
        var description = described.GetProperty("description").GetString()!;

        Assert.Contains("member by member", description, StringComparison.Ordinal);
        Assert.Contains("null removes", description, StringComparison.Ordinal);
        Assert.Contains("all four", description, StringComparison.Ordinal);
    }
}
