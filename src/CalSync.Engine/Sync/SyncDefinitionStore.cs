using Dapper;
using Npgsql;

namespace CalSync.Engine.Sync;

/// <summary>Reads a sync's settings from the <c>syncs</c> table in the engine's terms.</summary>
public sealed class SyncDefinitionStore(NpgsqlDataSource dataSource)
{
    /// <summary>A sync to work on; null when it does not exist or was deleted (a deleted sync is never synced).</summary>
    public Task<SyncDefinition?> GetAsync(Guid syncId, CancellationToken cancellationToken) =>
        ReadAsync(syncId, deleted: false, cancellationToken);

    /// <summary>A deleted sync, for removing its copies; null unless it exists and was deleted, so a live sync's copies are never removed.</summary>
    public Task<SyncDefinition?> GetDeletedAsync(Guid syncId, CancellationToken cancellationToken) =>
        ReadAsync(syncId, deleted: true, cancellationToken);

    private async Task<SyncDefinition?> ReadAsync(Guid syncId, bool deleted, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            """
            select id as Id, direction as Direction, a_account_id as AAccountId, a_calendar_id as ACalendarId,
                   b_account_id as BAccountId, b_calendar_id as BCalendarId, past_days as PastDays, future_days as FutureDays,
                   a_to_b_privacy as AToBPrivacy, a_to_b_placeholder as AToBPlaceholder, a_to_b_color_id as AToBColorId,
                   b_to_a_privacy as BToAPrivacy, b_to_a_placeholder as BToAPlaceholder, b_to_a_color_id as BToAColorId,
                   conflict_policy as ConflictPolicy, a_to_b_rules::text as AToBRules, b_to_a_rules::text as BToARules,
                   a_calendar_name as ACalendarName, b_calendar_name as BCalendarName,
                   (select email from google_accounts g where g.id = a_account_id) as AAccountEmail,
                   (select email from google_accounts g where g.id = b_account_id) as BAccountEmail
            from syncs where id = @syncId and (deleted_at is not null) = @deleted
            """, new { syncId, deleted }, cancellationToken: cancellationToken));
        return row?.ToDefinition();
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public string Direction { get; init; } = "";
        public Guid AAccountId { get; init; }
        public string ACalendarId { get; init; } = "";
        public Guid BAccountId { get; init; }
        public string BCalendarId { get; init; } = "";
        public int PastDays { get; init; }
        public int FutureDays { get; init; }
        public bool AToBPrivacy { get; init; }
        public string AToBPlaceholder { get; init; } = "";
        public string? AToBColorId { get; init; }
        public bool BToAPrivacy { get; init; }
        public string BToAPlaceholder { get; init; } = "";
        public string? BToAColorId { get; init; }
        public string ConflictPolicy { get; init; } = "";
        public string? AToBRules { get; init; }
        public string? BToARules { get; init; }
        public string? ACalendarName { get; init; }
        public string? BCalendarName { get; init; }
        public string? AAccountEmail { get; init; }
        public string? BAccountEmail { get; init; }

        public SyncDefinition ToDefinition() => new()
        {
            Id = Id,
            Direction = Direction == "two-way" ? SyncDirection.TwoWay : SyncDirection.OneWay,
            A = new CalendarRef(AAccountId, ACalendarId),
            B = new CalendarRef(BAccountId, BCalendarId),
            PastDays = PastDays,
            FutureDays = FutureDays,
            AToB = RuleJson.Read(new CopyStyle(AToBPrivacy, AToBPlaceholder, AToBColorId), AToBRules),
            BToA = RuleJson.Read(new CopyStyle(BToAPrivacy, BToAPlaceholder, BToAColorId), BToARules),
            // A calendar without a stored name (made before names were kept) goes by its id.
            LabelA = new SideLabel(ACalendarName ?? ACalendarId, AAccountEmail ?? ""),
            LabelB = new SideLabel(BCalendarName ?? BCalendarId, BAccountEmail ?? ""),
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
