-- Deleting a sync. A deleted sync is kept (soft delete) so that its runs and their changes stay readable;
-- every reader of syncs for normal work skips rows with deleted_at set.
alter table syncs add column deleted_at timestamptz;

-- What a run does: sync the two calendars, or remove the copies of a deleted sync (asked for by
-- DELETE /api/syncs/{id}?removeCopies=true). Existing runs were all syncs.
alter table runs add column kind text not null default 'sync' check (kind in ('sync', 'remove_copies'));

-- Coalescing is per kind: a trigger must never join a queued removal (or a removal a queued sync), and a
-- removal put off for a retry must stay queued itself rather than hand its retry to a sync run.
drop index runs_one_queued_per_sync;
create unique index runs_one_queued_per_sync on runs (sync_id, kind, dry_run) where status = 'queued';
