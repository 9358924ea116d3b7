namespace CalSync.Api.Dashboard;

/// <summary>Google Calendar's 11 event colours (colors.get, event palette): the id the API stores, the name Google shows.</summary>
public static class EventColors
{
    public static IReadOnlyList<(string Id, string Name)> All { get; } =
    [
        ("1", "Lavender"), ("2", "Sage"), ("3", "Grape"), ("4", "Flamingo"), ("5", "Banana"), ("6", "Tangerine"),
        ("7", "Peacock"), ("8", "Graphite"), ("9", "Blueberry"), ("10", "Basil"), ("11", "Tomato"),
    ];

    public static string Name(string? id) => All.FirstOrDefault(c => c.Id == id).Name ?? "Calendar's own";
}
