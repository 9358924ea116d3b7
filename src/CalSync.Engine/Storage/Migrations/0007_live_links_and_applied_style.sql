-- Links remember when their origin happens, so links of events that ended before a sync's window are
-- retired (kept, no longer read, fetched or counted); sides remember the copy settings their copies were
-- rendered with, so a change of settings re-renders existing copies on the next run.
alter table event_links
    add column origin_start timestamptz,
    add column origin_end   timestamptz;
create index event_links_live on event_links (sync_id, origin_end);

-- A fingerprint of the settings the copies on this side were last rendered with; null before the first run.
alter table sync_sides add column copies_style text;
