-- Copy rules per direction (a_to_b is "copyToTarget", b_to_a "copyToSource"): which origins are copied and how
-- their copies look, as JSON ({ "filter": {...}, "look": {...} }); null means the defaults.
alter table syncs
    add column a_to_b_rules jsonb,
    add column b_to_a_rules jsonb,
    -- The calendars' names when the sync was made, for title templates ({calendar}).
    add column a_calendar_name text,
    add column b_calendar_name text;

-- Origins a rule skipped: the fingerprint names the origin's content and the rule, so a skip is reported in a
-- run's changes once, and again only when the event or the rule changed.
create table skipped_origins (
    sync_id     uuid not null references syncs (id) on delete cascade,
    side        text not null check (side in ('A', 'B')),
    event_id    text not null,
    fingerprint text not null,
    updated_at  timestamptz not null,
    primary key (sync_id, side, event_id)
);
