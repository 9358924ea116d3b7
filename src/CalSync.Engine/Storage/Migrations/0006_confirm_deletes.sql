-- A person's answer to the mass-deletion guard: a run asked with confirm_deletes may delete more copies than the
-- guard allows (the run that stopped with needs_confirmation listed them in its changes).
alter table runs add column confirm_deletes boolean not null default false;
