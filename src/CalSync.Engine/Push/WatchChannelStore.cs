using CalSync.Engine.Sync;
using Dapper;
using Npgsql;

namespace CalSync.Engine.Push;

/// <summary>The <c>watch_channels</c> and <c>watch_failures</c> tables, and which syncs read a watched calendar.</summary>
public sealed class WatchChannelStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Columns =
        """
        id as Id, account_id as AccountId, calendar_id as CalendarId, token_hash as TokenHash, resource_id as ResourceId,
        expires_at as ExpiresAt, status as Status, renew_at as RenewAt, created_at as CreatedAt, stop_requested_at as StopRequestedAt
        """;

    /// <summary>
    /// Every calendar an active sync reads (a one-way sync its source, a two-way sync both sides) through an
    /// account that can still call Google; each once, however many syncs share it.
    /// </summary>
    public async Task<IReadOnlyList<WatchedCalendar>> ListWantedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<WatchedCalendar>(new CommandDefinition(
            """
            select distinct w.account_id as AccountId, w.calendar_id as CalendarId
            from syncs s
            cross join lateral (values (s.a_account_id, s.a_calendar_id, true), (s.b_account_id, s.b_calendar_id, s.direction = 'two-way'))
                as w (account_id, calendar_id, read)
            join google_accounts g on g.id = w.account_id and g.status = 'active'
            where s.active and s.deleted_at is null and w.read
            """, cancellationToken: cancellationToken))];
    }

    /// <summary>Channels that may still be live at Google, and stopped ones still heard from.</summary>
    public async Task<IReadOnlyList<WatchChannel>> ListOpenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<WatchChannel>(new CommandDefinition(
            $"select {Columns} from watch_channels where status <> 'stopped' or stop_requested_at is not null",
            cancellationToken: cancellationToken))];
    }

    /// <summary>An account's channels Google may still notify (everything not stopped yet).</summary>
    public async Task<IReadOnlyList<WatchChannel>> ListOpenOfAccountAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<WatchChannel>(new CommandDefinition(
            $"select {Columns} from watch_channels where account_id = @accountId and status <> 'stopped'",
            new { accountId }, cancellationToken: cancellationToken))];
    }

    public async Task<WatchChannel?> FindAsync(string channelId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<WatchChannel>(new CommandDefinition(
            $"select {Columns} from watch_channels where id = @channelId", new { channelId }, cancellationToken: cancellationToken));
    }

    /// <summary>Calendars whose watch failed and may not be tried again yet.</summary>
    public async Task<IReadOnlyList<WatchedCalendar>> ListBackingOffAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<WatchedCalendar>(new CommandDefinition(
            "select account_id as AccountId, calendar_id as CalendarId from watch_failures where retry_at > @now",
            new { now = time.GetUtcNow() }, cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// Records a channel before asking Google for it, so a crash mid-call leaves a row to clean up rather than
    /// a channel nobody knows. False when the calendar already has a pending or active channel.
    /// </summary>
    public async Task<bool> TryAddPendingAsync(string channelId, WatchedCalendar calendar, byte[] tokenHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var now = time.GetUtcNow();
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into watch_channels (id, account_id, calendar_id, token_hash, status, created_at, updated_at)
            values (@channelId, @AccountId, @CalendarId, @tokenHash, 'pending', @now, @now)
            on conflict (account_id, calendar_id) where status in ('pending', 'active') do nothing
            """,
            new { channelId, calendar.AccountId, calendar.CalendarId, tokenHash, now }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Google answered the watch: the channel is live until it expires, and any failure of its calendar is over.</summary>
    public async Task ActivateAsync(string channelId, string? resourceId, DateTimeOffset? expiresAt, DateTimeOffset? renewAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            with activated as (
                update watch_channels set status = 'active', resource_id = @resourceId, expires_at = @expiresAt, renew_at = @renewAt, updated_at = @now
                where id = @channelId and status = 'pending'
                returning account_id, calendar_id
            )
            delete from watch_failures f using activated a where f.account_id = a.account_id and f.calendar_id = a.calendar_id
            """,
            new { channelId, resourceId, expiresAt, renewAt, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    /// <summary>A renewal is about to replace this channel: it stays valid (no gap) until its successor is live and it is stopped.</summary>
    public Task RetireAsync(string channelId, CancellationToken cancellationToken) =>
        SetStatusAsync(channelId, ChannelStatus.Retiring, cancellationToken);

    /// <summary>Stopped at Google, never created, or expired: notifications for it are ignored from now on.</summary>
    public Task MarkStoppedAsync(string channelId, CancellationToken cancellationToken) =>
        SetStatusAsync(channelId, ChannelStatus.Stopped, cancellationToken);

    private async Task SetStatusAsync(string channelId, string status, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update watch_channels set status = @status, stop_requested_at = null, updated_at = @now where id = @channelId",
            new { channelId, status, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    /// <summary>Forgets stopped channels that expired before <paramref name="before"/>: Google says nothing more about them.</summary>
    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            delete from watch_channels
            where status = 'stopped' and stop_requested_at is null and coalesce(expires_at, updated_at) < @before
            """,
            new { before }, cancellationToken: cancellationToken));
    }

    public async Task RecordFailureAsync(WatchedCalendar calendar, string error, DateTimeOffset retryAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into watch_failures (account_id, calendar_id, error, failed_at, retry_at)
            values (@AccountId, @CalendarId, @error, @now, @retryAt)
            on conflict (account_id, calendar_id) do update set error = excluded.error, failed_at = excluded.failed_at, retry_at = excluded.retry_at
            """,
            new { calendar.AccountId, calendar.CalendarId, error, retryAt, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// A stopped channel is still being notified: ask the reconciler to stop it at Google again, at most once
    /// a minute, and learn its resource id from the notification if the watch never told us.
    /// </summary>
    public async Task RequestStopAsync(string channelId, string resourceId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var now = time.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            update watch_channels set stop_requested_at = @now, resource_id = coalesce(resource_id, @resourceId)
            where id = @channelId and status = 'stopped' and stop_requested_at is null and updated_at < @quiet
            """,
            new { channelId, resourceId, now, quiet = now.AddMinutes(-1) }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The syncs a change of this calendar concerns, and as which side they read it: active ones reading it (a
    /// one-way sync's target is not read). A sync between a calendar and itself reads it as both.
    /// </summary>
    public async Task<IReadOnlyList<SyncReading>> SyncsReadingAsync(WatchedCalendar calendar, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(Guid SyncId, bool AsA)>(new CommandDefinition(
            """
            select id, true from syncs
            where active and deleted_at is null and a_account_id = @AccountId and a_calendar_id = @CalendarId
            union all
            select id, false from syncs
            where active and deleted_at is null and direction = 'two-way' and b_account_id = @AccountId and b_calendar_id = @CalendarId
            """,
            new { calendar.AccountId, calendar.CalendarId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new SyncReading(r.SyncId, r.AsA ? Side.A : Side.B))];
    }

    /// <summary>
    /// For each calendar: when its live channel expires (null when none is live), and why Google last refused
    /// to watch it, if it did and no channel is live since.
    /// </summary>
    public async Task<IReadOnlyList<WatchStatus>> StatusAsync(IReadOnlyCollection<WatchedCalendar> calendars, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calendars);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<WatchStatus>(new CommandDefinition(
            """
            select w.account_id as AccountId, w.calendar_id as CalendarId,
                   (select max(c.expires_at) from watch_channels c
                    where c.account_id = w.account_id and c.calendar_id = w.calendar_id
                      and c.status in ('active', 'retiring') and c.expires_at > @now) as ExpiresAt,
                   f.error as Problem
            from unnest(@accounts, @calendarIds) as w (account_id, calendar_id)
            left join watch_failures f on f.account_id = w.account_id and f.calendar_id = w.calendar_id
            """,
            new { accounts = calendars.Select(c => c.AccountId).ToArray(), calendarIds = calendars.Select(c => c.CalendarId).ToArray(), now = time.GetUtcNow() },
            cancellationToken: cancellationToken))];
    }
}
