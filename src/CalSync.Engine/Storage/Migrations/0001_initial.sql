-- CalSync's first schema: the people, their Google accounts, their syncs and the runs of those syncs.
-- Later migrations add tokens, links and changes; never edit a migration once it has landed.

create table users (
    id            uuid primary key,
    email         text not null,
    display_name  text not null default '',
    created_at    timestamptz not null
);

create table google_accounts (
    id                    uuid primary key,
    user_id               uuid not null references users (id) on delete cascade,
    google_subject        text not null,
    email                 text not null,
    status                text not null default 'active'
                          check (status in ('active', 'reauth_required')),
    -- AES-256-GCM ciphertexts (key id + nonce + tag + data); never plaintext.
    refresh_token         bytea,
    access_token          bytea,
    access_token_expires  timestamptz,
    scopes                text not null default '',
    created_at            timestamptz not null,
    updated_at            timestamptz not null,
    -- One row per (person, Google account): reconnecting updates it instead of adding another.
    unique (user_id, google_subject)
);
create index google_accounts_user on google_accounts (user_id);

create table syncs (
    id                  uuid primary key,
    user_id             uuid not null references users (id) on delete cascade,
    name                text not null,
    -- Side A is the source of a one-way sync, side B its target.
    a_account_id        uuid not null references google_accounts (id),
    a_calendar_id       text not null,
    b_account_id        uuid not null references google_accounts (id),
    b_calendar_id       text not null,
    direction           text not null check (direction in ('one-way', 'two-way')),
    past_days           integer not null default 0 check (past_days between 0 and 3650),
    future_days         integer not null default 90 check (future_days between 1 and 3650),
    -- How copies look, per direction: a_to_b is "copyToTarget", b_to_a is "copyToSource".
    a_to_b_privacy      boolean not null default false,
    a_to_b_placeholder  text not null default 'Busy',
    a_to_b_color_id     text,
    b_to_a_privacy      boolean not null default false,
    b_to_a_placeholder  text not null default 'Busy',
    b_to_a_color_id     text,
    conflict_policy     text not null default 'origin-wins'
                        check (conflict_policy in ('origin-wins', 'newest-wins', 'source-wins', 'target-wins')),
    cron                text,
    time_zone           text,
    active              boolean not null default true,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    check ((cron is null) = (time_zone is null))
);
create index syncs_user on syncs (user_id);

create table runs (
    id               uuid primary key,
    sync_id          uuid not null references syncs (id) on delete cascade,
    trigger          text not null check (trigger in ('manual', 'schedule', 'push', 'retry')),
    status           text not null
                     check (status in ('queued', 'running', 'succeeded', 'failed', 'needs_confirmation')),
    full_resync      boolean not null default false,
    dry_run          boolean not null default false,
    created          integer not null default 0,
    updated          integer not null default 0,
    deleted          integer not null default 0,
    skipped          integer not null default 0,
    api_calls        integer not null default 0,
    error            text,
    attempts         integer not null default 0,
    worker           text,
    queued_at        timestamptz not null,
    started_at       timestamptz,
    finished_at      timestamptz,
    -- A delayed retry: the dispatcher re-publishes the run once this is due.
    next_attempt_at  timestamptz,
    -- Last time a SyncRequested went out for this run; the dispatcher re-publishes stale queued runs.
    published_at     timestamptz
);
create index runs_sync_queued on runs (sync_id, queued_at desc);
-- Coalescing: at most one queued run per sync and kind (a trigger joins the waiting run).
create unique index runs_one_queued_per_sync on runs (sync_id, dry_run) where status = 'queued';
create index runs_pending on runs (status, next_attempt_at) where status in ('queued', 'running');
