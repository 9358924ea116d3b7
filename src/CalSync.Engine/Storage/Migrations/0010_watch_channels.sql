-- Google push channels (events.watch), one per watched calendar: every sync that reads the calendar
-- shares it. The webhook verifies a notification against its row; the worker's reconciler creates,
-- renews and stops channels so the rows follow the active syncs.
create table watch_channels (
    -- The channel id CalSync chose (Google echoes it in X-Goog-Channel-ID).
    id                 text primary key,
    account_id         uuid not null references google_accounts (id) on delete cascade,
    calendar_id        text not null,
    -- SHA-256 of the channel token: the token itself is only ever at Google and in notifications.
    token_hash         bytea not null,
    -- Google's id of the watched resource; null until events.watch answered.
    resource_id        text,
    expires_at         timestamptz,
    -- pending: events.watch under way; active: notifications expected; retiring: replaced by a renewal,
    -- still valid until stopped; stopped: stopped at Google (or never created).
    status             text not null check (status in ('pending', 'active', 'retiring', 'stopped')),
    -- When the reconciler replaces this channel: before expiry, spread out so renewals do not bunch.
    renew_at           timestamptz,
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    -- A stopped channel still heard from: the reconciler stops it at Google (again); rate-limited.
    stop_requested_at  timestamptz
);
-- At most one channel in use per watched calendar; a renewal's predecessor is 'retiring' meanwhile.
create unique index watch_channels_one_per_calendar on watch_channels (account_id, calendar_id)
    where status in ('pending', 'active');
create index watch_channels_open on watch_channels (status) where status <> 'stopped';

-- Watching a calendar that failed (Google refused the watch): the sync falls back to its schedule, and
-- its status says why. One row per calendar, cleared when a channel is active again.
create table watch_failures (
    account_id     uuid not null references google_accounts (id) on delete cascade,
    calendar_id    text not null,
    error          text not null,
    failed_at      timestamptz not null,
    retry_at       timestamptz not null,
    primary key (account_id, calendar_id)
);
