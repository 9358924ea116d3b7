-- Remembered skips know when their origin ends (all-day dates taken generously, as links do), so those whose
-- origin ended before a sync's window are deleted: nothing reads such an origin again, and the table would
-- otherwise keep every skip a sync ever made. Null for skips remembered before this.
alter table skipped_origins add column origin_end timestamptz;
