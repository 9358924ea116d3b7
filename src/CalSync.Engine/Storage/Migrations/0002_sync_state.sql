-- The sync engine's memory: per-side reading state, the links between origins and copies, and what
-- each run changed.

create table sync_sides (
    sync_id            uuid not null references syncs (id) on delete cascade,
    side               char(1) not null check (side in ('A', 'B')),
    -- Google's nextSyncToken from the last completed run; null until a first full listing.
    sync_token         text,
    -- The window the listings have covered so far: a later run lists only the slice the window moved by.
    window_start       timestamptz,
    window_end         timestamptz,
    last_full_listing  timestamptz,
    updated_at         timestamptz not null,
    primary key (sync_id, side)
);

create table event_links (
    sync_id      uuid not null references syncs (id) on delete cascade,
    origin_side  char(1) not null check (origin_side in ('A', 'B')),
    a_event_id   text not null,
    b_event_id   text not null,
    -- Content hash and etag of each side as of the last run that touched the pair.
    a_hash       text,
    b_hash       text,
    a_etag       text,
    b_etag       text,
    -- The origin's series (recurringEventId): a change to the series re-checks its linked instances.
    origin_series_id  text,
    updated_at   timestamptz not null,
    -- An event belongs to at most one pair per sync, on either side: no event has two copies.
    primary key (sync_id, a_event_id),
    unique (sync_id, b_event_id)
);

create table run_changes (
    id               bigint generated always as identity primary key,
    run_id           uuid not null references runs (id) on delete cascade,
    action           text not null check (action in ('create', 'update', 'delete', 'adopt', 'skip', 'conflict')),
    side             char(1) not null check (side in ('A', 'B')),
    origin_event_id  text,
    copy_event_id    text,
    summary          text,
    reason           text not null,
    created_at       timestamptz not null
);
create index run_changes_run on run_changes (run_id, id);
