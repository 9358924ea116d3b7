namespace CalSync.GoogleEmulator.Store;

/// <summary>IANA time-zone lookups (the OS zone database with ICU serves IANA ids on every platform .NET 10 runs on).</summary>
internal static class Zones
{
    public static TimeZoneInfo? Find(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
        catch (InvalidTimeZoneException)
        {
            return null;
        }
    }

    public static DateTimeOffset AtMidnight(DateOnly date, TimeZoneInfo zone) =>
        FromLocal(date.ToDateTime(TimeOnly.MinValue), zone);

    public static DateTimeOffset FromLocal(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            // A wall-clock time skipped by a DST jump: move forward by the gap, as calendars do.
            unspecified = unspecified.AddHours(1);
        }

        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }

    /// <summary>The instant as wall-clock time in the zone, with its offset: "2024-04-10T10:00:00+02:00".</summary>
    public static string Format(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return Rfc3339.Format(local);
    }
}
