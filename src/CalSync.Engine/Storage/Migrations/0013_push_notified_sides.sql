-- A push run lists only the calendars whose channels fired: the other calendar's sync token is still good,
-- and what changed there is read by the next run that lists it. 'a', 'b' or 'ab'; null (every other run,
-- and a push run another trigger joined) lists both.
alter table runs add column notified_sides text check (notified_sides in ('a', 'b', 'ab'));
