using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalSync.Engine.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace CalSync.Api.Tests;

/// <summary>Each bad field of a create or a patch is a 400 validation problem whose <c>errors</c> name exactly that field.</summary>
public sealed class SyncValidationTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Each_bad_field_of_a_new_sync_is_a_400_naming_that_field()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var other = await fixture.NewUserAsync(extraAccounts: 0);
        var colleague = fixture.NewGoogleAccount("colleague");
        var readOnly = fixture.Google.Emulator.CreateCalendar(colleague, "Team");
        fixture.Google.Emulator.Share(readOnly, user.Accounts[0].Email, "reader");
        fixture.Google.Emulator.Share(readOnly, user.Accounts[1].Email, "reader");
        var tooLong = new string('n', 201);

        (string Case, Func<JsonObject, JsonObject> Edit, string Field)[] cases =
        [
            ("name missing", b => b.Without("name"), "name"),
            ("name blank", b => b.With("name", "   "), "name"),
            ("name null", b => b.With("name", null), "name"),
            ("name too long", b => b.With("name", tooLong), "name"),
            ("name a number", b => b.With("name", 5), "name"),
            ("source missing", b => b.Without("source"), "source"),
            ("source null", b => b.With("source", null), "source"),
            ("source account unknown", b => b.With("source.accountId", Guid.NewGuid()), "source.accountId"),
            ("source account another person's", b => b.With("source.accountId", other.Accounts[0].Id), "source.accountId"),
            ("source account not a uuid", b => b.With("source.accountId", "abc"), "source.accountId"),
            ("source calendar missing", b => b.Without("source.calendarId"), "source.calendarId"),
            ("source calendar empty", b => b.With("source.calendarId", ""), "source.calendarId"),
            ("source calendar unknown", b => b.With("source.calendarId", "nope@group.calendar.google.com"), "source.calendarId"),
            ("target calendar read-only", b => b.With("target.calendarId", readOnly), "target.calendarId"),
            ("two-way, source read-only", b => b.With("source.calendarId", readOnly).With("direction", "two-way"), "source.calendarId"),
            ("target = source", b => b.With("target.accountId", user.Accounts[0].Id), "target.calendarId"),
            ("target = source, primary by id", b => b.With("target.accountId", user.Accounts[0].Id).With("target.calendarId", user.Accounts[0].Email), "target.calendarId"),
            ("one calendar through two accounts", b => b.With("source.calendarId", readOnly).With("target.accountId", user.Accounts[0].Id).With("target.calendarId", readOnly), "target.calendarId"),
            ("direction unknown", b => b.With("direction", "sideways"), "direction"),
            ("direction missing", b => b.Without("direction"), "direction"),
            ("direction in capitals", b => b.With("direction", "One-Way"), "direction"),
            ("pastDays -1", b => b.With("pastDays", -1), "pastDays"),
            ("pastDays 3651", b => b.With("pastDays", 3651), "pastDays"),
            ("pastDays a string", b => b.With("pastDays", "5"), "pastDays"),
            ("pastDays a fraction", b => b.With("pastDays", 1.5), "pastDays"),
            ("futureDays 0", b => b.With("futureDays", 0), "futureDays"),
            ("futureDays 3651", b => b.With("futureDays", 3651), "futureDays"),
            ("colorId 0", b => b.With("copyToTarget.colorId", "0"), "copyToTarget.colorId"),
            ("colorId 12", b => b.With("copyToTarget.colorId", "12"), "copyToTarget.colorId"),
            ("colorId x", b => b.With("copyToTarget.colorId", "x"), "copyToTarget.colorId"),
            ("colorId a number", b => b.With("copyToTarget.colorId", 5), "copyToTarget.colorId"),
            ("placeholder empty", b => b.With("copyToTarget.placeholder", ""), "copyToTarget.placeholder"),
            ("placeholder 101 characters", b => b.With("copyToTarget.placeholder", new string('p', 101)), "copyToTarget.placeholder"),
            ("privacy a string", b => b.With("copyToTarget.privacy", "yes"), "copyToTarget.privacy"),
            ("copyToSource on a one-way sync", b => b.With("copyToSource", new JsonObject { ["privacy"] = true }), "copyToSource"),
            ("copyToSource colorId bad", b => b.With("direction", "two-way").With("copyToSource.colorId", "12"), "copyToSource.colorId"),
            ("conflictPolicy unknown", b => b.With("conflictPolicy", "a-wins"), "conflictPolicy"),
            ("conflictPolicy null", b => b.With("conflictPolicy", null), "conflictPolicy"),
            ("cron of 4 fields", b => b.With("schedule", Schedule("* * * *")), "schedule.cron"),
            ("cron of 6 fields", b => b.With("schedule", Schedule("0 */15 * * * *")), "schedule.cron"),
            ("cron garbage", b => b.With("schedule", Schedule("every day")), "schedule.cron"),
            ("cron out of range", b => b.With("schedule", Schedule("60 * * * *")), "schedule.cron"),
            ("cron that never fires", b => b.With("schedule", Schedule("0 0 31 2 *")), "schedule.cron"),
            ("cron missing", b => b.With("schedule", new JsonObject { ["timeZone"] = "UTC" }), "schedule.cron"),
            ("time zone on Mars", b => b.With("schedule", Schedule("0 * * * *", "Mars/Olympus")), "schedule.timeZone"),
            ("time zone by Windows name", b => b.With("schedule", Schedule("0 * * * *", "Pacific Standard Time")), "schedule.timeZone"),
            ("time zone missing", b => b.With("schedule", new JsonObject { ["cron"] = "0 * * * *" }), "schedule.timeZone"),
            ("active a string", b => b.With("active", "yes"), "active"),
            ("unknown top-level field", b => b.With("nmae", "typo"), "nmae"),
            ("unknown nested field", b => b.With("source.extra", 1), "source.extra"),
        ];

        var failures = new List<string>();
        foreach (var (name, edit, field) in cases)
        {
            using var response = await user.Client.PostSyncAsync(edit(ApiSyncs.OneWayBody(user)));
            var keys = response.StatusCode == HttpStatusCode.BadRequest ? await ApiSyncs.ErrorKeysAsync(response) : [];
            if (response.StatusCode != HttpStatusCode.BadRequest || keys is not [var only] || !Names(only, field))
            {
                failures.Add($"{name}: {(int)response.StatusCode} [{string.Join(", ", keys)}], expected 400 [{field}]");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(await ListAsync(user)); // Nothing was created along the way.
    }

    [Fact]
    public async Task An_account_that_must_be_reconnected_cannot_be_used_in_a_new_sync()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        await fixture.Api.Services.GetRequiredService<GoogleAccountStore>().MarkReauthRequiredAsync(user.Accounts[1].Id, CancellationToken.None);

        using var response = await user.Client.PostSyncAsync(ApiSyncs.OneWayBody(user));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["target.accountId"], await ApiSyncs.ErrorKeysAsync(response));
    }

    [Fact]
    public async Task Each_bad_field_of_a_patch_is_a_400_naming_that_field_and_changes_nothing()
    {
        var user = await fixture.NewUserAsync(extraAccounts: 1);
        var other = await fixture.NewUserAsync(extraAccounts: 0);
        var scheduled = await user.CreateSyncAsync(ApiSyncs.OneWayBody(user).With("schedule", Schedule("0 * * * *")));
        var unscheduled = await user.CreateSyncAsync(ApiSyncs.OneWayBody(user, "no schedule"));
        var id = scheduled.GetProperty("id").GetGuid();

        (string Case, Guid Sync, string Json, string Field)[] cases =
        [
            ("name null", id, """{ "name": null }""", "name"),
            ("name blank", id, """{ "name": " " }""", "name"),
            ("name too long", id, $$"""{ "name": "{{new string('n', 201)}}" }""", "name"),
            ("name a number", id, """{ "name": 5 }""", "name"),
            ("pastDays -1", id, """{ "pastDays": -1 }""", "pastDays"),
            ("pastDays 3651", id, """{ "pastDays": 3651 }""", "pastDays"),
            ("futureDays 0", id, """{ "futureDays": 0 }""", "futureDays"),
            ("futureDays a string", id, """{ "futureDays": "ten" }""", "futureDays"),
            ("colorId 12", id, """{ "copyToTarget": { "colorId": "12" } }""", "copyToTarget.colorId"),
            ("placeholder empty", id, """{ "copyToTarget": { "placeholder": "" } }""", "copyToTarget.placeholder"),
            ("copyToSource on a one-way sync", id, """{ "copyToSource": { "privacy": true } }""", "copyToSource"),
            ("conflictPolicy unknown", id, """{ "conflictPolicy": "b-wins" }""", "conflictPolicy"),
            ("cron of 4 fields", id, """{ "schedule": { "cron": "* * * *" } }""", "schedule.cron"),
            ("cron null", id, """{ "schedule": { "cron": null } }""", "schedule.cron"),
            ("time zone on Mars", id, """{ "schedule": { "timeZone": "Mars/Olympus" } }""", "schedule.timeZone"),
            ("a new schedule without a time zone", unscheduled.GetProperty("id").GetGuid(), """{ "schedule": { "cron": "0 * * * *" } }""", "schedule.timeZone"),
            ("source removed", id, """{ "source": null }""", "source"),
            ("source account changed", id, $$"""{ "source": { "accountId": "{{other.Accounts[0].Id}}", "calendarId": "primary" } }""", "source.accountId"),
            ("target calendar changed", id, $$"""{ "target": { "accountId": "{{user.Accounts[1].Id}}", "calendarId": "other" } }""", "target.calendarId"),
            ("direction changed", id, """{ "direction": "two-way" }""", "direction"),
            ("active a string", id, """{ "active": "no" }""", "active"),
            ("unknown top-level field", id, """{ "nmae": "typo" }""", "nmae"),
            ("unknown nested field", id, """{ "copyToTarget": { "shade": "dark" } }""", "copyToTarget.shade"),
        ];

        var failures = new List<string>();
        foreach (var (name, sync, json, field) in cases)
        {
            using var response = await user.Client.PatchSyncAsync(sync, json);
            var keys = response.StatusCode == HttpStatusCode.BadRequest ? await ApiSyncs.ErrorKeysAsync(response) : [];
            if (response.StatusCode != HttpStatusCode.BadRequest || keys is not [var only] || !Names(only, field))
            {
                failures.Add($"{name}: {(int)response.StatusCode} [{string.Join(", ", keys)}], expected 400 [{field}]");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal([scheduled.GetRawText(), unscheduled.GetRawText()], (await ListAsync(user)).Select(s => s.GetRawText()));
    }

    /// <summary>The error key names exactly the field.</summary>
    private static bool Names(string key, string field) => key == field;

    private static JsonObject Schedule(string cron, string timeZone = "Europe/Berlin") => new() { ["cron"] = cron, ["timeZone"] = timeZone };

    private static async Task<IReadOnlyList<JsonElement>> ListAsync(ApiUser user) =>
        [.. (await user.Client.GetFromJsonAsync<JsonElement>("/api/syncs")).EnumerateArray()];
}
