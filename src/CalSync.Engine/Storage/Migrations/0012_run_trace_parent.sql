-- The W3C traceparent of whatever queued the run (an Api request, a fired schedule, a push): the worker may take the
-- run up from a message the dispatcher re-publishes much later, and that message still joins the run's first trace.
alter table runs add column trace_parent text;
