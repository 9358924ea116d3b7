using System.Text.Json.Nodes;
using CalSync.GoogleEmulator.Api;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Events;

/// <summary>
/// Write parameters that decide which body fields count: conferenceData only with
/// conferenceDataVersion=1, attachments only with supportsAttachments=true; otherwise the stored
/// values stay as they were.
/// </summary>
internal sealed record WriteOptions(bool ConferenceData, bool Attachments)
{
    public static readonly WriteOptions None = new(false, false);

    /// <summary>Written on Google's side (seed, admin API), not by an API client: may create what clients cannot, such as fromGmail events.</summary>
    public bool ByGoogle { get; init; }

    public static WriteOptions From(QueryParams query) =>
        new(query["conferenceDataVersion"] == "1", query["supportsAttachments"] == "true");

    public void Apply(Dictionary<string, JsonNode?> fields, StoredEvent? previous)
    {
        Keep(fields, previous, "conferenceData", ConferenceData);
        Keep(fields, previous, "attachments", Attachments);
        if (previous?.Resource["hangoutLink"] is { } link)
        {
            fields["hangoutLink"] = link.DeepClone();
        }

        if (ConferenceData && fields.GetValueOrDefault("conferenceData") is JsonObject conference
            && conference["conferenceId"] is null && conference["createRequest"] is JsonObject create)
        {
            CreateConference(fields, conference, create);
        }
    }

    /// <summary>Reminders are per user and "not reflected in updated": a reminders-only change keeps the old value.</summary>
    public static bool OnlyRemindersChanged(JsonObject resource, StoredEvent previous)
    {
        string[] ignored = ["etag", "updated", "reminders", "sequence"];
        var before = (JsonObject)previous.Resource.DeepClone();
        var after = (JsonObject)resource.DeepClone();
        foreach (var key in ignored)
        {
            before.Remove(key);
            after.Remove(key);
        }

        return JsonNode.DeepEquals(before, after) && !JsonNode.DeepEquals(previous.Resource["reminders"], resource["reminders"]);
    }

    private static void Keep(Dictionary<string, JsonNode?> fields, StoredEvent? previous, string key, bool accepted)
    {
        if (accepted)
        {
            return;
        }

        fields.Remove(key);
        if (previous?.Resource[key] is { } stored)
        {
            fields[key] = stored.DeepClone();
        }
    }

    /// <summary>A createRequest with version 1 gets a Meet conference at once, as Google answers for hangoutsMeet.</summary>
    private static void CreateConference(Dictionary<string, JsonNode?> fields, JsonObject conference, JsonObject create)
    {
        var code = EmulatorState.RandomId(10);
        var meetingCode = $"{code[..3]}-{code[3..7]}-{code[7..]}";
        var type = create.StringAt("conferenceSolutionKey", "type") ?? "hangoutsMeet";
        create["status"] = new JsonObject { ["statusCode"] = "success" };
        conference["entryPoints"] = new JsonArray(new JsonObject
        {
            ["entryPointType"] = "video", ["uri"] = "https://meet.google.com/" + meetingCode, ["label"] = "meet.google.com/" + meetingCode,
        });
        conference["conferenceSolution"] = new JsonObject { ["key"] = new JsonObject { ["type"] = type }, ["name"] = "Google Meet" };
        conference["conferenceId"] = meetingCode;
        fields["hangoutLink"] = "https://meet.google.com/" + meetingCode;
    }
}
