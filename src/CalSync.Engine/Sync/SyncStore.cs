using Dapper;
using Npgsql;

namespace CalSync.Engine.Sync;

/// <summary>
/// The <c>syncs</c> table: the Api's reads and edits (<see cref="SyncRecord"/>, every statement scoped to the owner)
/// and the engine's read of what to sync (<see cref="SyncDefinition"/>), both from one row mapping.
/// </summary>
public sealed partial class SyncStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Columns =
        """
        id as Id, name as Name, a_account_id as SourceAccountId, a_calendar_id as SourceCalendarId,
        b_account_id as TargetAccountId, b_calendar_id as TargetCalendarId, direction as Direction,
        past_days as PastDays, future_days as FutureDays,
        a_to_b_privacy as ToTargetPrivacy, a_to_b_placeholder as ToTargetPlaceholder, a_to_b_color_id as ToTargetColorId,
        b_to_a_privacy as ToSourcePrivacy, b_to_a_placeholder as ToSourcePlaceholder, b_to_a_color_id as ToSourceColorId,
        a_to_b_rules::text as ToTargetRules, b_to_a_rules::text as ToSourceRules,
        conflict_policy as ConflictPolicy, cron as Cron, time_zone as TimeZone, active as Active,
        created_at as CreatedAt, updated_at as UpdatedAt, a_calendar_name as SourceCalendarName, b_calendar_name as TargetCalendarName,
        (select email from google_accounts g where g.id = a_account_id) as SourceAccountEmail,
        (select email from google_accounts g where g.id = b_account_id) as TargetAccountEmail,
        exists (select from google_accounts g where g.id in (a_account_id, b_account_id) and g.status = 'reauth_required') as AccountNeedsReconnecting
        """;

    // The rows the Api shows: a deleted sync's row stays (deleted_at set) for its runs and its copy removal, hidden here.
    private const string Live = "and deleted_at is null";

    /// <summary>Null when an account went away between the check and the insert (the foreign key): the field names which.</summary>
    public async Task<(SyncRecord? Sync, string? GoneAccountField)> CreateAsync(Guid userId, SyncSettings settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var row = await connection.QuerySingleAsync<Row>(new CommandDefinition(
                $"""
                insert into syncs (id, user_id, name, a_account_id, a_calendar_id, b_account_id, b_calendar_id, direction,
                                   past_days, future_days, a_to_b_privacy, a_to_b_placeholder, a_to_b_color_id,
                                   b_to_a_privacy, b_to_a_placeholder, b_to_a_color_id, a_to_b_rules, b_to_a_rules,
                                   a_calendar_name, b_calendar_name, conflict_policy, cron, time_zone,
                                   active, created_at, updated_at)
                values (@id, @userId, @Name, @SourceAccountId, @SourceCalendarId, @TargetAccountId, @TargetCalendarId, @Direction,
                        @PastDays, @FutureDays, @ToTargetPrivacy, @ToTargetPlaceholder, @ToTargetColorId,
                        @ToSourcePrivacy, @ToSourcePlaceholder, @ToSourceColorId, @ToTargetRules::jsonb, @ToSourceRules::jsonb,
                        @sourceName, @targetName, @ConflictPolicy, @Cron, @TimeZone,
                        @Active, @now, @now)
                returning {Columns}
                """,
                Parameters(settings, new { id = Guid.CreateVersion7(now), userId, now, sourceName = settings.SourceName, targetName = settings.TargetName }), cancellationToken: cancellationToken));
            return (row.ToRecord(), null);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return (null, ex.ConstraintName?.Contains("b_account", StringComparison.Ordinal) == true ? "target.accountId" : "source.accountId");
        }
    }

    public async Task<SyncRecord?> GetAsync(Guid userId, Guid syncId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"select {Columns} from syncs where id = @syncId and user_id = @userId {Live}",
            new { syncId, userId }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>
    /// Up to <paramref name="take"/> of the person's live syncs in creation order (ties by id), from the one after
    /// <paramref name="after"/>: a page follows the one before it whatever was created or deleted meanwhile (the sync
    /// it follows may itself have been deleted since). An <paramref name="after"/> that was never one of the person's
    /// syncs gives no rows: another person's sync is no place to start from.
    /// </summary>
    public async Task<IReadOnlyList<SyncRecord>> ListAsync(Guid userId, Guid? after, int take, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            select {Columns} from syncs
            where user_id = @userId {Live}
              and (@after::uuid is null or (created_at, id) > (select created_at, id from syncs where id = @after and user_id = @userId))
            order by created_at, id
            limit @take
            """,
            new { userId, after, take }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>A sync to work on; null when it does not exist or was deleted (a deleted sync is never synced).</summary>
    public Task<SyncDefinition?> GetDefinitionAsync(Guid syncId, CancellationToken cancellationToken) =>
        ReadDefinitionAsync(syncId, deleted: false, cancellationToken);

    /// <summary>A deleted sync, for removing its copies; null unless it exists and was deleted, so a live sync's copies are never removed.</summary>
    public Task<SyncDefinition?> GetDeletedDefinitionAsync(Guid syncId, CancellationToken cancellationToken) =>
        ReadDefinitionAsync(syncId, deleted: true, cancellationToken);

    private async Task<SyncDefinition?> ReadDefinitionAsync(Guid syncId, bool deleted, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"select {Columns} from syncs where id = @syncId and (deleted_at is not null) = @deleted",
            new { syncId, deleted }, cancellationToken: cancellationToken));
        return row?.ToDefinition();
    }

    /// <summary>The person's live syncs that use the account, on either side, oldest first: what keeps it from being disconnected.</summary>
    public async Task<IReadOnlyList<SyncRecord>> ListUsingAccountAsync(Guid userId, Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"select {Columns} from syncs where user_id = @userId {Live} and (a_account_id = @accountId or b_account_id = @accountId) order by created_at, id",
            new { userId, accountId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>How many live syncs use the account, on either side.</summary>
    public async Task<long> CountUsingAccountAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select count(*) from syncs where deleted_at is null and (a_account_id = @accountId or b_account_id = @accountId)",
            new { accountId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Which syncs should run on a schedule: the active, not deleted ones with a cron, whose accounts are both usable.
    /// A sync whose account needs reconnecting (<c>reauth_required</c>) would only fail; it is left unscheduled until
    /// the account is reconnected, and the Api says so in its <c>scheduleStatus</c>.
    /// </summary>
    public async Task<IReadOnlyList<SyncSchedule>> ListSchedulesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<SyncSchedule>(new CommandDefinition(
            """
            select s.id as SyncId, s.cron as Cron, s.time_zone as TimeZone
            from syncs s
            where s.active and s.deleted_at is null and s.cron is not null and s.time_zone is not null
              and not exists (select from google_accounts g
                              where g.id in (s.a_account_id, s.b_account_id) and g.status = 'reauth_required')
            """, cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// Read, edit and write under the row's lock, so two concurrent patches of different fields both land. The edit
    /// gives new settings, or null to refuse (its caller collects why); unchanged settings write nothing (and keep
    /// <c>updated_at</c>).
    /// </summary>
    public async Task<SyncEdit> UpdateAsync(
        Guid userId, Guid syncId, Func<SyncRecord, SyncSettings?> edit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edit);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"select {Columns} from syncs where id = @syncId and user_id = @userId {Live} for update",
            new { syncId, userId }, transaction, cancellationToken: cancellationToken)))?.ToRecord();
        if (current is null)
        {
            return new SyncEdit(null);
        }
        var settings = edit(current);
        if (settings is null)
        {
            return new SyncEdit(null, Refused: true);
        }
        if (settings == current.Settings)
        {
            return new SyncEdit(current);
        }
        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition(
            $"""
            update syncs
            set name = @Name, past_days = @PastDays, future_days = @FutureDays,
                a_to_b_privacy = @ToTargetPrivacy, a_to_b_placeholder = @ToTargetPlaceholder, a_to_b_color_id = @ToTargetColorId,
                b_to_a_privacy = @ToSourcePrivacy, b_to_a_placeholder = @ToSourcePlaceholder, b_to_a_color_id = @ToSourceColorId,
                a_to_b_rules = @ToTargetRules::jsonb, b_to_a_rules = @ToSourceRules::jsonb,
                conflict_policy = @ConflictPolicy, cron = @Cron, time_zone = @TimeZone, active = @Active, updated_at = @now
            where id = @syncId and user_id = @userId
            returning {Columns}
            """,
            Parameters(settings, new { syncId, userId, now = time.GetUtcNow() }), transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new SyncEdit(row.ToRecord());
    }

    private static DynamicParameters Parameters(SyncSettings s, object keys)
    {
        var toSource = s.CopyToSource ?? CopyStyle.Plain; // One-way: the columns keep their defaults.
        var parameters = new DynamicParameters(keys);
        parameters.AddDynamicParams(new
        {
            s.Name,
            SourceAccountId = s.Source.AccountId,
            SourceCalendarId = s.Source.CalendarId,
            TargetAccountId = s.Target.AccountId,
            TargetCalendarId = s.Target.CalendarId,
            s.Direction,
            s.PastDays,
            s.FutureDays,
            ToTargetPrivacy = s.CopyToTarget.Privacy,
            ToTargetPlaceholder = s.CopyToTarget.Placeholder,
            ToTargetColorId = s.CopyToTarget.ColorId,
            ToSourcePrivacy = toSource.Privacy,
            ToSourcePlaceholder = toSource.Placeholder,
            ToSourceColorId = toSource.ColorId,
            ToTargetRules = RuleJson.Store(s.CopyToTarget),
            ToSourceRules = RuleJson.Store(toSource),
            s.ConflictPolicy,
            Cron = s.Schedule?.Cron,
            TimeZone = s.Schedule?.TimeZone,
            s.Active,
        });
        return parameters;
    }
}
