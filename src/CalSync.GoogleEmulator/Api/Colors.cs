using System.Globalization;
using System.Text.Json.Nodes;

namespace CalSync.GoogleEmulator.Api;

/// <summary>colors.get: Google's fixed palettes (calendar colours 17–24 are ⚠️ recalled).</summary>
internal static class Colors
{
    private static readonly string[] EventBackgrounds =
        ["#a4bdfc", "#7ae7bf", "#dbadff", "#ff887c", "#fbd75b", "#ffb878", "#46d6db", "#e1e1e1", "#5484ed", "#51b749", "#dc2127"];

    private static readonly string[] CalendarBackgrounds =
    [
        "#ac725e", "#d06b64", "#f83a22", "#fa573c", "#ff7537", "#ffad46", "#42d692", "#16a765", "#7bd148", "#b3dc6c",
        "#fbe983", "#fad165", "#92e1c0", "#9fe1e7", "#9fc6e7", "#4986e7", "#9a9cff", "#b99aff", "#c2c2c2", "#cabdbf",
        "#cca6ac", "#f691b2", "#cd74e6", "#a47ae2",
    ];

    private const string Foreground = "#1d1d1d";

    private static readonly byte[] Payload = Build();

    public static ApiResponse Get(CallContext _) => ApiResponse.Raw(200, Payload);

    public static (string Background, string Foreground) Calendar(string colorId) =>
        (CalendarBackgrounds[(int.Parse(colorId, CultureInfo.InvariantCulture) - 1) % CalendarBackgrounds.Length], Foreground);

    private static byte[] Build()
    {
        var calendar = new JsonObject();
        for (var i = 0; i < CalendarBackgrounds.Length; i++)
        {
            calendar[(i + 1).ToString(CultureInfo.InvariantCulture)] = new JsonObject { ["background"] = CalendarBackgrounds[i], ["foreground"] = Foreground };
        }

        var events = new JsonObject();
        for (var i = 0; i < EventBackgrounds.Length; i++)
        {
            events[(i + 1).ToString(CultureInfo.InvariantCulture)] = new JsonObject { ["background"] = EventBackgrounds[i], ["foreground"] = Foreground };
        }

        return GoogleJson.ToUtf8(new JsonObject
        {
            ["kind"] = "calendar#colors",
            ["updated"] = "2012-02-14T00:00:00.000Z",
            ["calendar"] = calendar,
            ["event"] = events,
        });
    }
}
