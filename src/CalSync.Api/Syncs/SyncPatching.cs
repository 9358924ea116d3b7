using CalSync.Engine.Sync;

namespace CalSync.Api.Syncs;

/// <summary>Applies a <see cref="SyncPatch"/> to a stored sync: the merged whole goes through <see cref="SyncRules"/>.</summary>
public static class SyncPatching
{
    public static SyncSettings? Apply(SyncRecord current, SyncPatch patch, DateTimeOffset now, TimeSpan minimumInterval, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentNullException.ThrowIfNull(errors);
        var s = current.Settings;
        // Refused rather than allowed: the links and copies of a sync belong to the calendars it was made with.
        Unchanged("source", patch.Has(nameof(SyncPatch.Source)), patch.Source, s.Source, errors);
        Unchanged("target", patch.Has(nameof(SyncPatch.Target)), patch.Target, s.Target, errors);
        if (patch.Has(nameof(SyncPatch.Direction)) && patch.Direction != s.Direction)
        {
            errors.Add("direction", $"The direction of a sync cannot change (it is \"{s.Direction}\"); create another sync instead.");
        }

        var twoWay = s.Direction == SyncRules.TwoWay;
        var merged = new SyncBody
        {
            Name = patch.Has(nameof(SyncPatch.Name)) ? patch.Name! : s.Name,
            Source = Calendar(s.Source),
            Target = Calendar(s.Target),
            Direction = s.Direction,
            PastDays = patch.Has(nameof(SyncPatch.PastDays)) ? patch.PastDays ?? SyncRules.DefaultPastDays : s.PastDays,
            FutureDays = patch.Has(nameof(SyncPatch.FutureDays)) ? patch.FutureDays ?? SyncRules.DefaultFutureDays : s.FutureDays,
            CopyToTarget = Copy(patch.Has(nameof(SyncPatch.CopyToTarget)), patch.CopyToTarget, s.CopyToTarget),
            // One-way: anything but null or absent reaches SyncRules, which refuses it.
            CopyToSource = twoWay || patch.CopyToSource is not null
                ? Copy(patch.Has(nameof(SyncPatch.CopyToSource)), patch.CopyToSource, s.CopyToSource ?? CopyStyle.Plain)
                : null,
            ConflictPolicy = patch.Has(nameof(SyncPatch.ConflictPolicy)) ? patch.ConflictPolicy ?? SyncRules.DefaultConflictPolicy : s.ConflictPolicy,
            Schedule = Schedule(patch.Has(nameof(SyncPatch.Schedule)), patch.Schedule, s.Schedule),
            Active = patch.Has(nameof(SyncPatch.Active)) ? patch.Active ?? true : s.Active,
        };
        return SyncRules.Check(merged, now, minimumInterval, errors);
    }

    private static void Unchanged(string field, bool given, SyncCalendar? sent, CalendarRef current, FieldErrors errors)
    {
        const string Why = "the calendars of a sync cannot change (its copies are linked to them); create another sync instead";
        if (!given)
        {
            return;
        }
        if (sent is null)
        {
            errors.Add(field, $"{field} cannot be removed: {Why}.");
        }
        else if (sent.AccountId != current.AccountId)
        {
            errors.Add($"{field}.accountId", $"It is {current.AccountId}: {Why}.");
        }
        else if (sent.CalendarId != current.CalendarId)
        {
            errors.Add($"{field}.calendarId", $"It is \"{current.CalendarId}\": {Why}.");
        }
    }

    private static SyncCalendar Calendar(CalendarRef calendar) => new() { AccountId = calendar.AccountId, CalendarId = calendar.CalendarId };

    private static CopyOptions? Copy(bool given, CopyOptionsPatch? patch, CopyStyle current)
    {
        if (given && patch is null)
        {
            return null; // Back to the defaults.
        }
        return new CopyOptions
        {
            Privacy = patch?.Has(nameof(CopyOptionsPatch.Privacy)) == true ? patch.Privacy ?? false : current.Privacy,
            Placeholder = patch?.Has(nameof(CopyOptionsPatch.Placeholder)) == true ? patch.Placeholder ?? SyncRules.DefaultPlaceholder : current.Placeholder,
            ColorId = patch?.Has(nameof(CopyOptionsPatch.ColorId)) == true ? patch.ColorId : current.ColorId,
            // Given as null: back to the defaults; left out: as stored.
            Filter = patch?.Has(nameof(CopyOptionsPatch.Filter)) == true ? patch.Filter : null,
            FilterBase = patch?.Has(nameof(CopyOptionsPatch.Filter)) == true && patch.Filter is null ? CopyFilter.Default : current.Filter,
            Look = patch?.Has(nameof(CopyOptionsPatch.Look)) == true ? patch.Look : null,
            LookBase = patch?.Has(nameof(CopyOptionsPatch.Look)) == true && patch.Look is null ? CopyLook.Default : current.Look,
        };
    }

    private static SyncScheduleBody? Schedule(bool given, SchedulePatch? patch, CronSchedule? current)
    {
        if (given && patch is null)
        {
            return null; // No schedule any more.
        }
        if (patch is null)
        {
            return current is null ? null : new SyncScheduleBody { Cron = current.Cron, TimeZone = current.TimeZone };
        }
        // Null members stay null here and SyncRules reports them: a schedule needs both.
        return new SyncScheduleBody
        {
            Cron = (patch.Has(nameof(SchedulePatch.Cron)) ? patch.Cron : current?.Cron)!,
            TimeZone = (patch.Has(nameof(SchedulePatch.TimeZone)) ? patch.TimeZone : current?.TimeZone)!,
        };
    }
}
