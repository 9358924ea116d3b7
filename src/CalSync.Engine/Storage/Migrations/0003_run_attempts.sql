-- Every time a worker starts executing a run: who, from when, until when and how it ended. A run taken
-- over after a crash keeps its first started_at; its attempts show each worker's interval, which is what
-- "no two runs of one sync overlap" is checked against. An attempt whose worker died keeps ended_at null.
create table run_attempts (
    run_id      uuid not null references runs (id) on delete cascade,
    attempt     integer not null,
    worker      text not null,
    started_at  timestamptz not null,
    ended_at    timestamptz,
    outcome     text check (outcome in ('succeeded', 'failed', 'needs_confirmation', 'retry', 'handed_back')),
    error       text,
    primary key (run_id, attempt)
);
