using System.Text.Json.Nodes;

namespace CalSync.GoogleEmulator.Tests.Kit;

/// <summary>Request bodies shared by the tests.</summary>
public static class Bodies
{
    /// <summary>Hex digits are a subset of base32hex, so a Guid makes a valid client id.</summary>
    public static string NewId() => "c0" + Guid.NewGuid().ToString("N");

    public static JsonObject Timed(string summary, string? id = null)
    {
        var body = new JsonObject
        {
            ["summary"] = summary,
            ["start"] = new JsonObject { ["dateTime"] = "2030-05-01T10:00:00Z" },
            ["end"] = new JsonObject { ["dateTime"] = "2030-05-01T11:00:00Z" },
        };
        if (id is not null)
        {
            body["id"] = id;
        }

        return body;
    }
}
