// Time precision: Google keeps event times to the second; fractions sent by new Date().toISOString()
// are dropped, and timeMin/timeMax ignore milliseconds
// (https://developers.google.com/workspace/calendar/api/v3/reference/events/list).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newAccount, listAll } from './lib.mjs';

/** What a JavaScript client sends: toISOString() always has milliseconds. */
function isoWithMillis(day, hour, millis) {
  return new Date(Date.UTC(2030, 0, 7 + day, hour, 0, 0, millis)).toISOString();
}

test('event times sent with milliseconds are answered and compared to the second', async () => {
  const a = await newAccount();
  const start = isoWithMillis(1, 10, 750);
  const end = isoWithMillis(1, 11, 750);
  assert.match(start, /\.750Z$/, 'the client really sends milliseconds');
  const created = (await a.cal.events.insert({ calendarId: 'primary', requestBody: { summary: 'Millis', start: { dateTime: start }, end: { dateTime: end } } })).data;
  assert.equal(created.start.dateTime, '2030-01-08T10:00:00Z');
  assert.equal(created.end.dateTime, '2030-01-08T11:00:00Z');

  // timeMin bounds the end exclusively, timeMax the start: a window beginning at the reported end
  // (or ending at the reported start) does not touch the event.
  const after = await listAll(a.cal, { calendarId: 'primary', timeMin: created.end.dateTime, timeMax: '2030-01-09T00:00:00Z' });
  assert.deepEqual(after.items.map((e) => e.id), [], 'window from the reported end');
  const before = await listAll(a.cal, { calendarId: 'primary', timeMin: '2030-01-08T00:00:00Z', timeMax: created.start.dateTime });
  assert.deepEqual(before.items.map((e) => e.id), [], 'window up to the reported start');
  const during = await listAll(a.cal, { calendarId: 'primary', timeMin: '2030-01-08T00:00:00Z', timeMax: '2030-01-09T00:00:00Z' });
  assert.deepEqual(during.items.map((e) => e.id), [created.id]);

  const got = (await a.cal.events.get({ calendarId: 'primary', eventId: created.id })).data;
  assert.equal(got.end.dateTime, '2030-01-08T11:00:00Z');
});

test('milliseconds in timeMax are accepted and ignored', async () => {
  const a = await newAccount();
  await a.cal.events.insert({
    calendarId: 'primary',
    requestBody: { summary: 'Starts at 10', start: { dateTime: '2030-01-08T10:00:00Z' }, end: { dateTime: '2030-01-08T11:00:00Z' } },
  });
  // Read as 10:00:00, the exclusive bound on the start leaves the event out.
  const { items } = await listAll(a.cal, { calendarId: 'primary', timeMin: '2030-01-08T00:00:00Z', timeMax: isoWithMillis(1, 10, 500) });
  assert.deepEqual(items.map((e) => e.id), []);
});

test('a daily series whose start has milliseconds expands to its full COUNT', async () => {
  const a = await newAccount();
  const start = isoWithMillis(1, 8, 123);
  const end = isoWithMillis(1, 9, 123);
  const series = (await a.cal.events.insert({
    calendarId: 'primary',
    requestBody: {
      summary: 'Daily with millis',
      start: { dateTime: start, timeZone: 'Europe/Berlin' },
      end: { dateTime: end, timeZone: 'Europe/Berlin' },
      recurrence: ['RRULE:FREQ=DAILY;COUNT=3'],
    },
  })).data;
  assert.equal(series.start.dateTime, '2030-01-08T09:00:00+01:00');

  const { items } = await listAll(a.cal, { calendarId: 'primary', singleEvents: true, orderBy: 'startTime' });
  assert.deepEqual(items.map((e) => e.id), ['20300108', '20300109', '20300110'].map((d) => `${series.id}_${d}T080000Z`));
  assert.deepEqual(items.map((e) => e.start.dateTime), ['2030-01-08T09:00:00+01:00', '2030-01-09T09:00:00+01:00', '2030-01-10T09:00:00+01:00']);
  const instances = (await a.cal.events.instances({ calendarId: 'primary', eventId: series.id })).data.items;
  assert.equal(instances.length, 3, 'events.instances lists all three');
});
