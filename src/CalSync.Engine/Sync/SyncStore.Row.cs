namespace CalSync.Engine.Sync;

public sealed partial class SyncStore
{
    /// <summary>A <c>syncs</c> row as <see cref="Columns"/> reads it, in the Api's terms (source and target) and the engine's (A and B).</summary>
    private sealed class Row
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public Guid SourceAccountId { get; init; }
        public string SourceCalendarId { get; init; } = "";
        public Guid TargetAccountId { get; init; }
        public string TargetCalendarId { get; init; } = "";
        public string Direction { get; init; } = "";
        public int PastDays { get; init; }
        public int FutureDays { get; init; }
        public bool ToTargetPrivacy { get; init; }
        public string ToTargetPlaceholder { get; init; } = "";
        public string? ToTargetColorId { get; init; }
        public bool ToSourcePrivacy { get; init; }
        public string ToSourcePlaceholder { get; init; } = "";
        public string? ToSourceColorId { get; init; }
        public string? ToTargetRules { get; init; }
        public string? ToSourceRules { get; init; }
        public string ConflictPolicy { get; init; } = "";
        public string? Cron { get; init; }
        public string? TimeZone { get; init; }
        public bool Active { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public string? SourceCalendarName { get; init; }
        public string? TargetCalendarName { get; init; }
        public string? SourceAccountEmail { get; init; }
        public string? TargetAccountEmail { get; init; }
        public bool AccountNeedsReconnecting { get; init; }

        private bool TwoWay => Direction == "two-way";

        private CopyStyle ToTarget => RuleJson.Read(new CopyStyle(ToTargetPrivacy, ToTargetPlaceholder, ToTargetColorId), ToTargetRules);

        private CopyStyle ToSource => RuleJson.Read(new CopyStyle(ToSourcePrivacy, ToSourcePlaceholder, ToSourceColorId), ToSourceRules);

        public SyncRecord ToRecord() => new(
            Id,
            new SyncSettings(
                Name,
                new CalendarRef(SourceAccountId, SourceCalendarId),
                new CalendarRef(TargetAccountId, TargetCalendarId),
                Direction,
                PastDays,
                FutureDays,
                ToTarget,
                TwoWay ? ToSource : null,
                ConflictPolicy,
                Cron is not null && TimeZone is not null ? new CronSchedule(Cron, TimeZone) : null,
                Active),
            CreatedAt,
            UpdatedAt,
            AccountNeedsReconnecting);

        public SyncDefinition ToDefinition() => new()
        {
            Id = Id,
            Direction = TwoWay ? SyncDirection.TwoWay : SyncDirection.OneWay,
            A = new CalendarRef(SourceAccountId, SourceCalendarId),
            B = new CalendarRef(TargetAccountId, TargetCalendarId),
            PastDays = PastDays,
            FutureDays = FutureDays,
            AToB = ToTarget,
            BToA = ToSource,
            // A calendar without a stored name (made before names were kept) goes by its id.
            LabelA = new SideLabel(SourceCalendarName ?? SourceCalendarId, SourceAccountEmail ?? ""),
            LabelB = new SideLabel(TargetCalendarName ?? TargetCalendarId, TargetAccountEmail ?? ""),
            ConflictPolicy = ConflictPolicy switch
            {
                "newest-wins" => Sync.ConflictPolicy.NewestWins,
                "source-wins" => Sync.ConflictPolicy.SourceWins,
                "target-wins" => Sync.ConflictPolicy.TargetWins,
                _ => Sync.ConflictPolicy.OriginWins,
            },
        };
    }
}
