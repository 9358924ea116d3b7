using CalSync.Engine.Storage;
using Dapper;
using Npgsql;

namespace CalSync.Engine.Sync;

/// <summary>Where a side's reading left off: its sync token and the window its listings covered.</summary>
public sealed record SideReadState(string? SyncToken, DateTimeOffset? WindowStart, DateTimeOffset? WindowEnd, DateTimeOffset? LastFullListing)
{
    public static SideReadState Empty { get; } = new(null, null, null, null);

    /// <summary>The <see cref="CopyStyle.Fingerprint"/> the copies on this side were last rendered with.</summary>
    public string? CopiesStyle { get; init; }
}

/// <summary>The engine's PostgreSQL state: links, per-side reading state and run changes.</summary>
public sealed partial class SyncStateStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>
    /// The sync's live links: those whose origin had not ended by <paramref name="windowStart"/> (or whose times are
    /// not known). Older links are retired: kept, but never read, fetched or counted again, so a run's cost does
    /// not grow with the sync's age.
    /// </summary>
    public async Task<IReadOnlyList<EventLink>> GetLinksAsync(Guid syncId, DateTimeOffset windowStart, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<LinkRow>(new CommandDefinition(
            $"""
            select {LinkColumns}
            from event_links where sync_id = @syncId and (origin_end is null or origin_end > @windowStart)
            """, new { syncId, windowStart }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToLink())];
    }

    internal const string LinkColumns =
        """
        origin_side as OriginSide, a_event_id as AEventId, b_event_id as BEventId,
        a_hash as AHash, b_hash as BHash, a_etag as AEtag, b_etag as BEtag, origin_series_id as OriginSeriesId,
        origin_start as OriginStart, origin_end as OriginEnd
        """;

    /// <summary>Stores a pair as one short statement: committed the moment its write succeeded.</summary>
    public async Task SaveLinkAsync(Guid syncId, EventLink link, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // A link replaces the origin's earlier link: a copy changing type gets another id. An origin on side A keys its
        // row (a_event_id); one on side B has its old row deleted first, in the same command (one implicit transaction).
        var replaceOld = link.OriginSide == Side.B
            ? "delete from event_links where sync_id = @syncId and b_event_id = @BEventId and a_event_id <> @AEventId;\n"
            : "";
        await connection.ExecuteAsync(new CommandDefinition(
            replaceOld +
            """
            insert into event_links (sync_id, origin_side, a_event_id, b_event_id, a_hash, b_hash, a_etag, b_etag, origin_series_id,
                                     origin_start, origin_end, updated_at)
            values (@syncId, @OriginSide, @AEventId, @BEventId, @AHash, @BHash, @AEtag, @BEtag, @OriginSeriesId, @OriginStart, @OriginEnd, @now)
            on conflict (sync_id, a_event_id) do update
            set origin_side = excluded.origin_side, b_event_id = excluded.b_event_id, a_hash = excluded.a_hash,
                b_hash = excluded.b_hash, a_etag = excluded.a_etag, b_etag = excluded.b_etag,
                origin_series_id = coalesce(excluded.origin_series_id, event_links.origin_series_id),
                origin_start = coalesce(excluded.origin_start, event_links.origin_start),
                origin_end = coalesce(excluded.origin_end, event_links.origin_end), updated_at = excluded.updated_at
            """,
            new
            {
                syncId, OriginSide = link.OriginSide.ToString(), link.AEventId, link.BEventId, link.AHash, link.BHash, link.AEtag, link.BEtag,
                link.OriginSeriesId, link.OriginStart, link.OriginEnd, now = time.GetUtcNow(),
            },
            cancellationToken: cancellationToken));
    }

    public async Task RemoveLinkAsync(Guid syncId, EventLink link, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from event_links where sync_id = @syncId and a_event_id = @AEventId",
            new { syncId, link.AEventId }, cancellationToken: cancellationToken));
    }

    public async Task<SideReadState> GetSideAsync(Guid syncId, Side side, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SideRow>(new CommandDefinition(
            """
            select sync_token as SyncToken, window_start as WindowStart, window_end as WindowEnd, last_full_listing as LastFullListing,
                   copies_style as CopiesStyle
            from sync_sides where sync_id = @syncId and side = @side
            """, new { syncId, side = side.ToString() }, cancellationToken: cancellationToken));
        return row is null
            ? SideReadState.Empty
            : new SideReadState(row.SyncToken, row.WindowStart, row.WindowEnd, row.LastFullListing) { CopiesStyle = row.CopiesStyle };
    }

    public async Task SaveSideAsync(Guid syncId, Side side, SideReadState state, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into sync_sides (sync_id, side, sync_token, window_start, window_end, last_full_listing, copies_style, updated_at)
            values (@syncId, @side, @SyncToken, @WindowStart, @WindowEnd, @LastFullListing, @CopiesStyle, @now)
            on conflict (sync_id, side) do update
            set sync_token = excluded.sync_token, window_start = excluded.window_start, window_end = excluded.window_end,
                last_full_listing = excluded.last_full_listing, copies_style = excluded.copies_style, updated_at = excluded.updated_at
            """,
            new { syncId, side = side.ToString(), state.SyncToken, state.WindowStart, state.WindowEnd, state.LastFullListing, state.CopiesStyle, now = time.GetUtcNow() },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Adds changes to a run's list as its attempts make them; a later attempt's list adds to the earlier ones'.
    /// A note (a skip, a conflict's resolution) that an earlier attempt recorded already is not repeated: a
    /// retried attempt reads and plans everything again and meets the same events. Returns how many skips were
    /// new, which is what the attempt adds to the run's skipped count.
    /// </summary>
    public async Task<int> RecordChangesAsync(Guid runId, IReadOnlyList<RunChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return 0;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            """
            with given as (
                select * from unnest(@actions, @sides, @origins, @copies, @summaries, @reasons)
                    with ordinality as c (action, side, origin_event_id, copy_event_id, summary, reason, n)
            ), inserted as (
                insert into run_changes (run_id, action, side, origin_event_id, copy_event_id, summary, reason, created_at)
                select @runId, c.action, c.side, c.origin_event_id, c.copy_event_id, c.summary, c.reason, @now
                from given c
                where c.action not in ('skip', 'conflict')
                   or not exists (
                       select 1 from run_changes r
                       where r.run_id = @runId and r.action = c.action and r.side = c.side and r.reason = c.reason
                         and r.origin_event_id is not distinct from c.origin_event_id
                         and r.copy_event_id is not distinct from c.copy_event_id)
                order by c.n
                returning action
            )
            select count(*)::int from inserted where action = 'skip'
            """,
            new
            {
                runId,
                actions = changes.Select(c => c.Action).ToArray(),
                sides = changes.Select(c => c.Side.ToString()).ToArray(),
                origins = changes.Select(c => StoredText.Clean(c.OriginEventId)).ToArray(),
                copies = changes.Select(c => StoredText.Clean(c.CopyEventId)).ToArray(),
                summaries = changes.Select(c => StoredText.Clean(c.Summary)).ToArray(),
                reasons = changes.Select(c => StoredText.Clean(c.Reason)).ToArray(),
                now = time.GetUtcNow(),
            },
            cancellationToken: cancellationToken));
    }

    private sealed class SideRow
    {
        public string? SyncToken { get; init; }
        public DateTimeOffset? WindowStart { get; init; }
        public DateTimeOffset? WindowEnd { get; init; }
        public DateTimeOffset? LastFullListing { get; init; }
        public string? CopiesStyle { get; init; }
    }

    internal sealed class LinkRow
    {
        public string OriginSide { get; init; } = "";
        public string AEventId { get; init; } = "";
        public string BEventId { get; init; } = "";
        public string? AHash { get; init; }
        public string? BHash { get; init; }
        public string? AEtag { get; init; }
        public string? BEtag { get; init; }
        public string? OriginSeriesId { get; init; }
        public DateTimeOffset? OriginStart { get; init; }
        public DateTimeOffset? OriginEnd { get; init; }

        public EventLink ToLink() => new()
        {
            OriginSide = Enum.Parse<Side>(OriginSide),
            AEventId = AEventId,
            BEventId = BEventId,
            AHash = AHash,
            BHash = BHash,
            AEtag = AEtag,
            BEtag = BEtag,
            OriginSeriesId = OriginSeriesId,
            OriginStart = OriginStart,
            OriginEnd = OriginEnd,
        };
    }
}
