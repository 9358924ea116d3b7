// Recurring events: RRULE expansion, events.instances, instance ids, exceptions
// (https://developers.google.com/workspace/calendar/api/guides/recurringevents).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newAccount, ms, listAll, eventId } from './lib.mjs';

/** Weekly 09:00 Europe/Berlin (08:00Z in January), 4 occurrences from Monday 2030-01-07. */
async function weeklySeries(a, extra = {}) {
  const res = await a.cal.events.insert({
    calendarId: 'primary',
    requestBody: {
      summary: 'Weekly sync',
      start: { dateTime: '2030-01-07T09:00:00', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2030-01-07T10:00:00', timeZone: 'Europe/Berlin' },
      recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'],
      ...extra,
    },
  });
  return res.data;
}

const WEEKLY_STARTS = ['2030-01-07T08:00:00Z', '2030-01-14T08:00:00Z', '2030-01-21T08:00:00Z', '2030-01-28T08:00:00Z'].map(ms);

test('a recurring event is stored as one series master with its recurrence', async () => {
  const a = await newAccount();
  const series = await weeklySeries(a);
  assert.deepEqual(series.recurrence, ['RRULE:FREQ=WEEKLY;COUNT=4']);
  assert.equal(series.start.timeZone, 'Europe/Berlin');
  const { items } = await listAll(a.cal, { calendarId: 'primary' });
  assert.equal(items.length, 1, 'without singleEvents only the master is listed');
  assert.equal(items[0].id, series.id);
  assert.deepEqual(items[0].recurrence, ['RRULE:FREQ=WEEKLY;COUNT=4']);
});

test('singleEvents expands the series into instances and omits the master', async () => {
  const a = await newAccount();
  const series = await weeklySeries(a);
  const { items } = await listAll(a.cal, { calendarId: 'primary', singleEvents: true, orderBy: 'startTime' });
  assert.deepEqual(items.map((e) => ms(e.start.dateTime)), WEEKLY_STARTS);
  for (const inst of items) {
    assert.equal(inst.recurringEventId, series.id);
    assert.equal(ms(inst.originalStartTime.dateTime), ms(inst.start.dateTime));
    assert.equal(inst.recurrence, undefined, 'instances carry no recurrence');
    assert.equal(inst.iCalUID, series.iCalUID, 'instances share the series iCalUID');
    assert.notEqual(inst.id, series.id);
    assert.equal(inst.summary, 'Weekly sync');
    assert.equal(ms(inst.end.dateTime) - ms(inst.start.dateTime), 3600_000);
  }
  assert.equal(new Set(items.map((e) => e.id)).size, 4, 'instance ids differ');
});

test('instance ids are <seriesId>_<UTC start> for timed and <seriesId>_<date> for all-day series', async () => {
  const a = await newAccount();
  const series = await weeklySeries(a);
  const { items } = await listAll(a.cal, { calendarId: 'primary', singleEvents: true, orderBy: 'startTime' });
  assert.deepEqual(items.map((e) => e.id), ['20300107', '20300114', '20300121', '20300128'].map((d) => `${series.id}_${d}T080000Z`));
  const allDay = (await a.cal.events.insert({
    calendarId: 'primary',
    requestBody: { summary: 'Daily all-day', start: { date: '2030-03-01' }, end: { date: '2030-03-02' }, recurrence: ['RRULE:FREQ=DAILY;COUNT=2'] },
  })).data;
  const days = await listAll(a.cal, { calendarId: 'primary', singleEvents: true, timeMin: '2030-02-28T00:00:00Z', timeMax: '2030-03-05T00:00:00Z' });
  assert.deepEqual(days.items.map((e) => e.id).sort(), [`${allDay.id}_20300301`, `${allDay.id}_20300302`]);
  assert.deepEqual(days.items.map((e) => e.start.date).sort(), ['2030-03-01', '2030-03-02']);
});

test('expansion follows the series time zone across a DST change', async () => {
  const a = await newAccount();
  await a.cal.events.insert({
    calendarId: 'primary',
    requestBody: {
      summary: 'Across DST',
      start: { dateTime: '2030-03-18T09:00:00', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2030-03-18T09:30:00', timeZone: 'Europe/Berlin' },
      recurrence: ['RRULE:FREQ=WEEKLY;COUNT=3'],
    },
  });
  const { items } = await listAll(a.cal, { calendarId: 'primary', singleEvents: true, orderBy: 'startTime' });
  assert.deepEqual(items.map((e) => ms(e.start.dateTime)),
    ['2030-03-18T08:00:00Z', '2030-03-25T08:00:00Z', '2030-04-01T07:00:00Z'].map(ms), '09:00 local before and after 2030-03-31');
});

test('RRULE variants: BYDAY, UNTIL and EXDATE', async (t) => {
  const a = await newAccount();
  const make = async (recurrence, summary) => (await a.cal.events.insert({
    calendarId: 'primary',
    requestBody: {
      summary, recurrence,
      start: { dateTime: '2030-01-07T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2030-01-07T09:30:00', timeZone: 'UTC' },
    },
  })).data;
  const starts = async (series) => (await listAll(a.cal, { calendarId: 'primary', singleEvents: true, orderBy: 'startTime' }))
    .items.filter((e) => e.recurringEventId === series.id).map((e) => e.start.dateTime).map(ms);
  await t.test('BYDAY=MO,WE;COUNT=4', async () => {
    const s = await make(['RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4'], 'byday');
    assert.deepEqual(await starts(s), ['2030-01-07T09:00:00Z', '2030-01-09T09:00:00Z', '2030-01-14T09:00:00Z', '2030-01-16T09:00:00Z'].map(ms));
  });
  await t.test('UNTIL', async () => {
    const s = await make(['RRULE:FREQ=DAILY;UNTIL=20300110T235959Z'], 'until');
    assert.deepEqual(await starts(s), ['2030-01-07', '2030-01-08', '2030-01-09', '2030-01-10'].map((d) => ms(`${d}T09:00:00Z`)));
  });
  await t.test('EXDATE', async () => {
    const s = await make(['RRULE:FREQ=DAILY;COUNT=5', 'EXDATE:20300109T090000Z'], 'exdate');
    assert.deepEqual(await starts(s), ['2030-01-07', '2030-01-08', '2030-01-10', '2030-01-11'].map((d) => ms(`${d}T09:00:00Z`)));
  });
});

test('events.instances lists the instances of a series, with paging and a time window', async () => {
  const a = await newAccount();
  const series = await weeklySeries(a);
  const res = await a.cal.events.instances({ calendarId: 'primary', eventId: series.id });
  assert.equal(res.status, 200);
  assert.equal(res.data.kind, 'calendar#events');
  assert.deepEqual(res.data.items.map((e) => ms(e.start.dateTime)), WEEKLY_STARTS);
  assert.ok(res.data.items.every((e) => e.recurringEventId === series.id));
  const listed = await listAll(a.cal, { calendarId: 'primary', singleEvents: true, orderBy: 'startTime' });
  assert.deepEqual(res.data.items.map((e) => e.id), listed.items.map((e) => e.id), 'same ids as singleEvents');

  const seen = [];
  let pageToken;
  let pages = 0;
  do {
    const page = await a.cal.events.instances({ calendarId: 'primary', eventId: series.id, maxResults: 3, pageToken });
    assert.ok(page.data.items.length <= 3);
    seen.push(...page.data.items.map((e) => e.id));
    pageToken = page.data.nextPageToken;
    pages += 1;
  } while (pageToken && pages < 10);
  assert.deepEqual(seen, res.data.items.map((e) => e.id));

  const window = await a.cal.events.instances({
    calendarId: 'primary', eventId: series.id, timeMin: '2030-01-10T00:00:00Z', timeMax: '2030-01-22T00:00:00Z',
  });
  assert.deepEqual(window.data.items.map((e) => ms(e.start.dateTime)), WEEKLY_STARTS.slice(1, 3));
});

test('events.instances of an unknown event fails 404', async () => {
  const a = await newAccount();
  const err = await a.cal.events.instances({ calendarId: 'primary', eventId: eventId() }).catch((e) => e);
  assert.equal(err.response?.status, 404);
});

test('events.get works on an instance id', async () => {
  const a = await newAccount();
  const series = await weeklySeries(a);
  const instId = `${series.id}_20300114T080000Z`;
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: instId });
  assert.equal(got.data.id, instId);
  assert.equal(got.data.recurringEventId, series.id);
  assert.equal(ms(got.data.start.dateTime), WEEKLY_STARTS[1]);
  assert.equal(ms(got.data.originalStartTime.dateTime), WEEKLY_STARTS[1]);
});

test('modifying one instance creates an exception; the other instances are unchanged', async () => {
  const a = await newAccount();
  const series = await weeklySeries(a);
  const inst = (await a.cal.events.instances({ calendarId: 'primary', eventId: series.id })).data.items[2];
  const moved = await a.cal.events.patch({
    calendarId: 'primary', eventId: inst.id,
    requestBody: { summary: 'Moved one', start: { dateTime: '2030-01-21T12:00:00Z' }, end: { dateTime: '2030-01-21T13:00:00Z' } },
  });
  assert.equal(moved.data.id, inst.id, 'the exception keeps the instance id');
  assert.equal(moved.data.recurringEventId, series.id);
  assert.equal(ms(moved.data.originalStartTime.dateTime), WEEKLY_STARTS[2], 'originalStartTime is immutable');
  const { items } = await listAll(a.cal, { calendarId: 'primary', singleEvents: true, orderBy: 'startTime' });
  assert.equal(items.length, 4);
  const byId = Object.fromEntries(items.map((e) => [e.id, e]));
  assert.equal(byId[inst.id].summary, 'Moved one');
  assert.equal(ms(byId[inst.id].start.dateTime), ms('2030-01-21T12:00:00Z'));
  assert.equal(ms(byId[inst.id].originalStartTime.dateTime), WEEKLY_STARTS[2]);
  assert.equal(items.filter((e) => e.summary === 'Weekly sync').length, 3);
  const updated = await a.cal.events.update({
    calendarId: 'primary', eventId: items[0].id,
    requestBody: { summary: 'Replaced first', start: items[0].start, end: items[0].end },
  });
  assert.equal(updated.data.recurringEventId, series.id, 'update on an instance id keeps it in the series');
});

test('cancelling one instance hides it from singleEvents and reports a cancelled exception', async () => {
  const a = await newAccount();
  const series = await weeklySeries(a);
  const token = (await a.cal.events.list({ calendarId: 'primary' })).data.nextSyncToken;
  const instId = `${series.id}_20300114T080000Z`;
  const del = await a.cal.events.delete({ calendarId: 'primary', eventId: instId });
  assert.equal(del.status, 204);

  const single = await listAll(a.cal, { calendarId: 'primary', singleEvents: true, orderBy: 'startTime' });
  assert.deepEqual(single.items.map((e) => ms(e.start.dateTime)), [WEEKLY_STARTS[0], ...WEEKLY_STARTS.slice(2)]);

  const singleDeleted = await listAll(a.cal, { calendarId: 'primary', singleEvents: true, showDeleted: true });
  const cancelled = singleDeleted.items.find((e) => e.id === instId);
  assert.equal(cancelled?.status, 'cancelled', 'showDeleted+singleEvents: the cancelled instance is returned');
  assert.equal(singleDeleted.items.length, 4);

  const masters = await listAll(a.cal, { calendarId: 'primary' });
  const exception = masters.items.find((e) => e.id === instId);
  assert.ok(exception, 'showDeleted=false, singleEvents=false: the cancelled instance is still included');
  assert.equal(exception.status, 'cancelled');
  assert.equal(exception.recurringEventId, series.id);
  assert.equal(ms(exception.originalStartTime.dateTime), WEEKLY_STARTS[1]);
  assert.ok(masters.items.some((e) => e.id === series.id && e.status === 'confirmed'), 'the series stays');

  const inc = await a.cal.events.list({ calendarId: 'primary', syncToken: token });
  const incException = inc.data.items.find((e) => e.id === instId);
  assert.equal(incException?.status, 'cancelled', 'incremental sync reports the cancelled instance');
  assert.equal(incException.recurringEventId, series.id);
  assert.equal(ms(incException.originalStartTime.dateTime), WEEKLY_STARTS[1]);

  const got = await a.cal.events.get({ calendarId: 'primary', eventId: instId });
  assert.equal(got.data.status, 'cancelled');

  const inst = await a.cal.events.instances({ calendarId: 'primary', eventId: series.id, showDeleted: true });
  assert.equal(inst.data.items.find((e) => e.id === instId)?.status, 'cancelled');
  const instDefault = await a.cal.events.instances({ calendarId: 'primary', eventId: series.id });
  assert.deepEqual(instDefault.data.items.filter((e) => e.status !== 'cancelled').map((e) => ms(e.start.dateTime)),
    [WEEKLY_STARTS[0], ...WEEKLY_STARTS.slice(2)]);
});

test('deleting the series removes every instance', async () => {
  const a = await newAccount();
  const series = await weeklySeries(a);
  await a.cal.events.delete({ calendarId: 'primary', eventId: series.id });
  const { items } = await listAll(a.cal, { calendarId: 'primary', singleEvents: true });
  assert.deepEqual(items, []);
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: series.id });
  assert.equal(got.data.status, 'cancelled');
});

test('a recurring event without a time zone fails 400', async () => {
  const a = await newAccount();
  const err = await a.cal.events.insert({
    calendarId: 'primary',
    requestBody: {
      summary: 'No zone', start: { dateTime: '2030-01-07T09:00:00Z' }, end: { dateTime: '2030-01-07T10:00:00Z' },
      recurrence: ['RRULE:FREQ=DAILY;COUNT=3'],
    },
  }).then((r) => r, (e) => e);
  assert.equal(err.response?.status ?? err.status, 400, 'timeZone is required for recurring events');
});

test('singleEvents with a time window returns only the instances inside it', async () => {
  const a = await newAccount();
  await weeklySeries(a);
  const { items } = await listAll(a.cal, {
    calendarId: 'primary', singleEvents: true, orderBy: 'startTime', timeMin: '2030-01-13T00:00:00Z', timeMax: '2030-01-25T00:00:00Z',
  });
  assert.deepEqual(items.map((e) => ms(e.start.dateTime)), WEEKLY_STARTS.slice(1, 3));
});

test('without singleEvents a modified instance is listed beside its series', async () => {
  const a = await newAccount();
  const series = await weeklySeries(a);
  const instId = `${series.id}_20300121T080000Z`;
  await a.cal.events.patch({ calendarId: 'primary', eventId: instId, requestBody: { summary: 'Special' } });
  const { items } = await listAll(a.cal, { calendarId: 'primary' });
  assert.deepEqual(items.map((e) => e.id).sort(), [series.id, instId].sort());
  const ex = items.find((e) => e.id === instId);
  assert.equal(ex.summary, 'Special');
  assert.equal(ex.recurringEventId, series.id);
  assert.equal(ms(ex.originalStartTime.dateTime), WEEKLY_STARTS[2]);
});

test('changing the series changes the unmodified instances; an exception keeps its own change', async () => {
  const a = await newAccount();
  const series = await weeklySeries(a);
  const instId = `${series.id}_20300121T080000Z`;
  await a.cal.events.patch({ calendarId: 'primary', eventId: instId, requestBody: { summary: 'Special' } });
  await a.cal.events.patch({ calendarId: 'primary', eventId: series.id, requestBody: { description: 'agenda', summary: 'Renamed' } });
  const { items } = await listAll(a.cal, { calendarId: 'primary', singleEvents: true, orderBy: 'startTime' });
  assert.deepEqual(items.map((e) => e.summary), ['Renamed', 'Renamed', 'Special', 'Renamed']);
});

test('incremental sync after deleting a series reports the series as cancelled', async () => {
  const a = await newAccount();
  const series = await weeklySeries(a);
  const token = (await a.cal.events.list({ calendarId: 'primary' })).data.nextSyncToken;
  await a.cal.events.delete({ calendarId: 'primary', eventId: series.id });
  const inc = await a.cal.events.list({ calendarId: 'primary', syncToken: token });
  const master = inc.data.items.find((e) => e.id === series.id);
  assert.equal(master?.status, 'cancelled');
});

test('incremental sync reports a modified instance as the exception, not the series', async () => {
  const a = await newAccount();
  const series = await weeklySeries(a);
  const token = (await a.cal.events.list({ calendarId: 'primary' })).data.nextSyncToken;
  const instId = `${series.id}_20300114T080000Z`;
  await a.cal.events.patch({ calendarId: 'primary', eventId: instId, requestBody: { location: 'Elsewhere' } });
  const inc = await a.cal.events.list({ calendarId: 'primary', syncToken: token });
  const ex = inc.data.items.find((e) => e.id === instId);
  assert.ok(ex, 'the exception is reported');
  assert.equal(ex.location, 'Elsewhere');
  assert.equal(ex.recurringEventId, series.id);
  assert.ok(!inc.data.items.some((e) => e.id === series.id && e.status === 'cancelled'), 'the series is not cancelled');
});

test('singleEvents paging splits expanded instances across pages', async () => {
  const a = await newAccount();
  await weeklySeries(a);
  const { items, pages } = await listAll(a.cal, { calendarId: 'primary', singleEvents: true, orderBy: 'startTime', maxResults: 3 });
  assert.ok(pages.length >= 2);
  assert.deepEqual(items.map((e) => ms(e.start.dateTime)), WEEKLY_STARTS);
});

test('events.instances with originalStart returns that one instance', async () => {
  const a = await newAccount();
  const series = await weeklySeries(a);
  const res = await a.cal.events.instances({ calendarId: 'primary', eventId: series.id, originalStart: '2030-01-14T09:00:00+01:00' });
  assert.deepEqual(res.data.items.map((e) => e.id), [`${series.id}_20300114T080000Z`]);
});

test('RDATE and EXDATE with TZID are read in that time zone', async () => {
  const a = await newAccount();
  const mk = async (recurrence) => (await a.cal.events.insert({
    calendarId: 'primary',
    requestBody: {
      summary: 'tzid', recurrence,
      start: { dateTime: '2030-01-07T09:00:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2030-01-07T10:00:00', timeZone: 'Europe/Berlin' },
    },
  })).data;
  const ex = await mk(['RRULE:FREQ=WEEKLY;COUNT=3', 'EXDATE;TZID=Europe/Berlin:20300114T090000']);
  const rd = await mk(['RRULE:FREQ=WEEKLY;COUNT=2', 'RDATE;TZID=Europe/Berlin:20300110T090000']);
  const { items } = await listAll(a.cal, { calendarId: 'primary', singleEvents: true, orderBy: 'startTime' });
  const of = (s) => items.filter((e) => e.recurringEventId === s.id).map((e) => ms(e.start.dateTime));
  assert.deepEqual(of(ex), ['2030-01-07T08:00:00Z', '2030-01-21T08:00:00Z'].map(ms));
  assert.deepEqual(of(rd), ['2030-01-07T08:00:00Z', '2030-01-10T08:00:00Z', '2030-01-14T08:00:00Z'].map(ms));
});

test('a moved instance is found at its new time, not at its original one', async () => {
  const a = await newAccount();
  const series = await weeklySeries(a);
  const instId = `${series.id}_20300114T080000Z`;
  await a.cal.events.patch({
    calendarId: 'primary', eventId: instId,
    requestBody: { start: { dateTime: '2030-02-10T09:00:00Z' }, end: { dateTime: '2030-02-10T10:00:00Z' } },
  });
  const feb = await listAll(a.cal, { calendarId: 'primary', singleEvents: true, timeMin: '2030-02-01T00:00:00Z' });
  assert.deepEqual(feb.items.map((e) => e.id), [instId]);
  const original = await listAll(a.cal, { calendarId: 'primary', singleEvents: true, timeMin: '2030-01-13T00:00:00Z', timeMax: '2030-01-15T00:00:00Z' });
  assert.deepEqual(original.items, []);
});

test('deleting a series cancels its exceptions too', async () => {
  const a = await newAccount();
  const series = await weeklySeries(a);
  const instId = `${series.id}_20300114T080000Z`;
  await a.cal.events.patch({ calendarId: 'primary', eventId: instId, requestBody: { summary: 'Exception' } });
  const token = (await a.cal.events.list({ calendarId: 'primary' })).data.nextSyncToken;
  await a.cal.events.delete({ calendarId: 'primary', eventId: series.id });
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: instId });
  assert.equal(got.data.status, 'cancelled');
  const { items } = await listAll(a.cal, { calendarId: 'primary', singleEvents: true });
  assert.deepEqual(items, [], 'no instance survives, the exception included');
  const inc = await a.cal.events.list({ calendarId: 'primary', syncToken: token });
  assert.equal(inc.data.items.find((e) => e.id === series.id)?.status, 'cancelled');
});
