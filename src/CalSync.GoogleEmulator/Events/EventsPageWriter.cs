using System.Globalization;
using CalSync.GoogleEmulator.Api;
using CalSync.GoogleEmulator.Store;

namespace CalSync.GoogleEmulator.Events;

/// <summary>Writes a calendar#events page; stored events are copied from their cached JSON.</summary>
internal static class EventsPageWriter
{
    public static ApiResponse Write(CalendarState calendar, string role, string? timeZone, IReadOnlyList<StoredEvent> items,
        bool showDeleted, string? nextPageToken, string? nextSyncToken, EventView view)
    {
        using var buffer = new MemoryStream(1024 + (items.Count * 700));
        using (var w = GoogleJson.CreateWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("kind", "calendar#events");
            w.WriteString("etag", string.Create(CultureInfo.InvariantCulture, $"\"p{calendar.Seq}{calendar.TokenEpoch}\""));
            w.WriteString("summary", calendar.Summary);
            if (calendar.Description is not null)
            {
                w.WriteString("description", calendar.Description);
            }

            w.WriteString("updated", GoogleJson.Timestamp(calendar.Updated));
            w.WriteString("timeZone", timeZone ?? calendar.TimeZone);
            w.WriteString("accessRole", role);
            w.WriteStartArray("defaultReminders");
            if (calendar.IsPrimary && role == "owner")
            {
                w.WriteStartObject();
                w.WriteString("method", "popup");
                w.WriteNumber("minutes", 10);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (nextPageToken is not null)
            {
                w.WriteString("nextPageToken", nextPageToken);
            }

            if (nextSyncToken is not null)
            {
                w.WriteString("nextSyncToken", nextSyncToken);
            }

            w.WriteStartArray("items");
            foreach (var item in items)
            {
                if (item.IsCancelled && !showDeleted)
                {
                    // Deleted events without showDeleted carry only what Google guarantees.
                    item.Tombstone().WriteTo(w, GoogleJson.Options);
                }
                else
                {
                    w.WriteRawValue(view.Render(item), skipInputValidation: true);
                }
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return ApiResponse.Raw(200, buffer.ToArray());
    }
}
