// events.list: paging, sync tokens, filters and their forbidden combinations
// (https://developers.google.com/workspace/calendar/api/v3/reference/events/list, https://developers.google.com/workspace/calendar/api/guides/sync).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newAccount, admin, timed, utc, ms, listAll, expectApiError, rejects, assertGoogleError } from './lib.mjs';

async function insertMany(a, n, calendarId = 'primary', prefix = 'Ev') {
  const out = [];
  for (let i = 0; i < n; i += 1) {
    out.push((await a.cal.events.insert({ calendarId, requestBody: timed(`${prefix} ${i}`, i, 9) })).data);
  }
  return out;
}

const ids = (items) => items.map((e) => e.id).sort();

test('list returns calendar#events with the calendar\'s metadata', async () => {
  const a = await newAccount();
  await insertMany(a, 1);
  const res = await a.cal.events.list({ calendarId: 'primary' });
  assert.equal(res.status, 200);
  assert.equal(res.data.kind, 'calendar#events');
  assert.equal(typeof res.data.etag, 'string');
  assert.equal(typeof res.data.summary, 'string');
  assert.equal(typeof res.data.timeZone, 'string');
  assert.equal(res.data.accessRole, 'owner');
  assert.ok(ms(res.data.updated));
  assert.equal(res.data.items.length, 1);
  assert.equal(res.data.items[0].kind, 'calendar#event');
});

test('paging with maxResults: nextPageToken on every page but the last, nextSyncToken only on the last', async () => {
  const a = await newAccount();
  const made = await insertMany(a, 5);
  const { items, pages } = await listAll(a.cal, { calendarId: 'primary', maxResults: 2 });
  assert.ok(pages.length >= 3, `5 events in pages of 2 need at least 3 pages (got ${pages.length})`);
  pages.forEach((p, i) => {
    assert.ok(p.items.length <= 2, 'no page exceeds maxResults');
    const last = i === pages.length - 1;
    assert.equal(Boolean(p.nextPageToken), !last, `page ${i}: nextPageToken iff not last`);
    assert.equal(Boolean(p.nextSyncToken), last, `page ${i}: nextSyncToken iff last`);
  });
  assert.deepEqual(ids(items), ids(made), 'every event exactly once');
});

test('syncToken returns only changes since the token, deletions included as cancelled', async () => {
  const a = await newAccount();
  const [keep, change, remove] = await insertMany(a, 3);
  const full = await listAll(a.cal, { calendarId: 'primary' });
  const token = full.pages.at(-1).nextSyncToken;
  assert.ok(token);
  const added = (await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('New', 6, 9) })).data;
  await a.cal.events.patch({ calendarId: 'primary', eventId: change.id, requestBody: { summary: 'Changed' } });
  await a.cal.events.delete({ calendarId: 'primary', eventId: remove.id });
  const inc = await a.cal.events.list({ calendarId: 'primary', syncToken: token });
  assert.equal(inc.status, 200);
  assert.deepEqual(ids(inc.data.items), ids([added, change, remove]), 'exactly the changed events');
  assert.ok(!inc.data.items.some((e) => e.id === keep.id), 'unchanged event not returned');
  const byId = Object.fromEntries(inc.data.items.map((e) => [e.id, e]));
  assert.equal(byId[remove.id].status, 'cancelled');
  assert.equal(byId[change.id].summary, 'Changed');
  assert.equal(byId[added.id].status, 'confirmed');
  assert.ok(inc.data.nextSyncToken, 'incremental result carries a new nextSyncToken');
  const again = await a.cal.events.list({ calendarId: 'primary', syncToken: inc.data.nextSyncToken });
  assert.deepEqual(again.data.items, [], 'nothing changed since the newest token');
  assert.ok(again.data.nextSyncToken);
});

test('incremental sync pages with syncToken + pageToken and ends with nextSyncToken', async () => {
  const a = await newAccount();
  const token = (await a.cal.events.list({ calendarId: 'primary' })).data.nextSyncToken;
  assert.ok(token, 'an empty calendar still gives a nextSyncToken');
  const made = await insertMany(a, 5);
  const seen = [];
  let pageToken;
  let pages = 0;
  let last;
  do {
    const res = await a.cal.events.list({ calendarId: 'primary', syncToken: token, maxResults: 2, pageToken });
    pages += 1;
    assert.ok(res.data.items.length <= 2);
    seen.push(...res.data.items);
    pageToken = res.data.nextPageToken;
    assert.ok(!(res.data.nextPageToken && res.data.nextSyncToken), 'never both tokens');
    last = res.data;
  } while (pageToken && pages < 20);
  assert.ok(last.nextSyncToken, 'last page has nextSyncToken');
  assert.deepEqual(ids(seen), ids(made));
});

test('syncToken cannot be combined with filters (400)', async (t) => {
  const a = await newAccount();
  await insertMany(a, 1);
  const token = (await a.cal.events.list({ calendarId: 'primary' })).data.nextSyncToken;
  const forbidden = {
    timeMin: utc(0, 0), timeMax: utc(30, 0), q: 'Ev', orderBy: 'updated', iCalUID: 'x@google.com',
    privateExtendedProperty: ['a=b'], sharedExtendedProperty: ['a=b'], updatedMin: '2020-01-01T00:00:00Z',
  };
  for (const [name, value] of Object.entries(forbidden)) {
    await t.test(name, async () => {
      await expectApiError(() => a.cal.events.list({ calendarId: 'primary', syncToken: token, [name]: value }), 400);
    });
  }
});

test('expired sync tokens fail 410 fullSyncRequired (GaxiosError code 410)', async () => {
  const a = await newAccount();
  await insertMany(a, 1);
  const token = (await a.cal.events.list({ calendarId: 'primary' })).data.nextSyncToken;
  await admin('POST', `/emulator/calendars/${encodeURIComponent(a.email)}/expire-sync-tokens`);
  const err = await expectApiError(() => a.cal.events.list({ calendarId: 'primary', syncToken: token }), 410, {
    domain: 'calendar', reason: 'fullSyncRequired', message: 'Sync token is no longer valid, a full sync is required.',
    location: 'syncToken', locationType: 'parameter',
  });
  assert.equal(err.code, 410);
  assert.equal(err.message, 'Sync token is no longer valid, a full sync is required.');
  const fresh = await listAll(a.cal, { calendarId: 'primary' });
  const newToken = fresh.pages.at(-1).nextSyncToken;
  assert.ok(newToken, 'a full sync gives a new token');
  const inc = await a.cal.events.list({ calendarId: 'primary', syncToken: newToken });
  assert.equal(inc.status, 200, 'the new token works');
});

test('an unknown sync token fails 410 fullSyncRequired', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.list({ calendarId: 'primary', syncToken: 'CPDAlvWDx70CEPDAlvWDx70CGAU=' }), 410,
    { reason: 'fullSyncRequired' });
});

test('timeMin/timeMax select events with end > timeMin and start < timeMax', async () => {
  const a = await newAccount();
  const mk = async (s, sh, eh) => (await a.cal.events.insert({
    calendarId: 'primary', requestBody: { summary: s, start: { dateTime: utc(0, sh) }, end: { dateTime: utc(0, eh) } },
  })).data;
  const endsAtMin = await mk('ends at timeMin', 8, 10);
  const overlapsMin = await mk('overlaps timeMin', 9, 11);
  const inside = await mk('inside', 11, 12);
  const overlapsMax = await mk('overlaps timeMax', 13, 15);
  const startsAtMax = await mk('starts at timeMax', 14, 15);
  const before = await mk('before', 6, 7);
  const { items } = await listAll(a.cal, { calendarId: 'primary', timeMin: utc(0, 10), timeMax: utc(0, 14) });
  assert.deepEqual(ids(items), ids([overlapsMin, inside, overlapsMax]));
  assert.ok(![endsAtMin, startsAtMax, before].some((e) => items.some((i) => i.id === e.id)));
  const onlyMin = await listAll(a.cal, { calendarId: 'primary', timeMin: utc(0, 12) });
  assert.deepEqual(ids(onlyMin.items), ids([overlapsMax, startsAtMax]));
  const offset = await listAll(a.cal, { calendarId: 'primary', timeMin: '2030-01-07T11:00:00+01:00', timeMax: '2030-01-07T15:00:00+01:00' });
  assert.deepEqual(ids(offset.items), ids([overlapsMin, inside, overlapsMax]), 'offsets are honoured');
});

test('timeMax <= timeMin fails 400 timeRangeEmpty', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.list({ calendarId: 'primary', timeMin: utc(1, 0), timeMax: utc(0, 0) }), 400, {
    domain: 'calendar', reason: 'timeRangeEmpty', message: 'The specified time range is empty.',
    locationType: 'parameter', location: 'timeMax',
  });
});

test('orderBy=startTime without singleEvents fails 400 invalid', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.list({ calendarId: 'primary', orderBy: 'startTime' }), 400, {
    domain: 'global', reason: 'invalid', message: 'The requested ordering is not available for the particular query.',
    locationType: 'parameter', location: 'orderBy',
  });
});

test('singleEvents + orderBy=startTime returns instances and single events by start time', async () => {
  const a = await newAccount();
  await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('single late', 3, 15) });
  await a.cal.events.insert({
    calendarId: 'primary',
    requestBody: {
      summary: 'daily', start: { dateTime: '2030-01-07T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2030-01-07T10:30:00', timeZone: 'UTC' },
      recurrence: ['RRULE:FREQ=DAILY;COUNT=5'],
    },
  });
  await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('single early', 0, 8) });
  const { items } = await listAll(a.cal, { calendarId: 'primary', singleEvents: true, orderBy: 'startTime' });
  assert.equal(items.length, 7, '5 instances + 2 single events, no series master');
  const starts = items.map((e) => ms(e.start.dateTime));
  assert.deepEqual(starts, [...starts].sort((x, y) => x - y), 'ascending start');
  assert.equal(items[0].summary, 'single early');
  assert.equal(items[5].summary, 'single late', 'Jan 10 15:00 sorts after the Jan 10 10:00 instance');
  assert.ok(items.every((e) => !e.recurrence), 'no series master');
});

test('orderBy=updated returns events by ascending last modification', async () => {
  const a = await newAccount();
  const [e0, e1, e2] = await insertMany(a, 3);
  await a.cal.events.patch({ calendarId: 'primary', eventId: e0.id, requestBody: { summary: 'touched' } });
  const { items } = await listAll(a.cal, { calendarId: 'primary', orderBy: 'updated' });
  const updated = items.map((e) => ms(e.updated));
  assert.deepEqual(updated, [...updated].sort((x, y) => x - y));
  assert.equal(items.at(-1).id, e0.id, 'the last modified comes last');
  assert.deepEqual(ids(items), ids([e0, e1, e2]));
});

test('showDeleted includes deleted events as cancelled; default excludes them', async () => {
  const a = await newAccount();
  const [keep, gone] = await insertMany(a, 2);
  await a.cal.events.delete({ calendarId: 'primary', eventId: gone.id });
  const normal = await listAll(a.cal, { calendarId: 'primary' });
  assert.deepEqual(ids(normal.items), [keep.id]);
  const withDeleted = await listAll(a.cal, { calendarId: 'primary', showDeleted: true });
  assert.deepEqual(ids(withDeleted.items), ids([keep, gone]));
  assert.equal(withDeleted.items.find((e) => e.id === gone.id).status, 'cancelled');
});

test('updatedMin returns events updated since then, deletions included without showDeleted', async () => {
  const a = await newAccount();
  const [older] = await insertMany(a, 1, 'primary', 'older');
  const mark = (await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('mark', 2, 9) })).data;
  const [victim] = await insertMany(a, 1, 'primary', 'victim');
  await a.cal.events.delete({ calendarId: 'primary', eventId: victim.id });
  const updatedMin = mark.updated;
  const { items } = await listAll(a.cal, { calendarId: 'primary', updatedMin });
  // Deleted events guarantee only their id (https://developers.google.com/workspace/calendar/api/v3/reference/events); whatever carries `updated` must be recent.
  assert.ok(items.filter((e) => e.updated).every((e) => ms(e.updated) >= ms(updatedMin)), 'every item updated at or after updatedMin');
  assert.ok(items.some((e) => e.id === mark.id), 'the event updated at updatedMin is included');
  const v = items.find((e) => e.id === victim.id);
  assert.equal(v?.status, 'cancelled', 'deleted since updatedMin: returned as cancelled');
  if (ms(older.updated) < ms(updatedMin)) assert.ok(!items.some((e) => e.id === older.id), 'older event excluded');
});

test('iCalUID returns the event with that UID', async () => {
  const a = await newAccount();
  await insertMany(a, 2);
  const uid = `conformance-${Date.now()}@example.com`;
  const target = (await a.cal.events.insert({ calendarId: 'primary', requestBody: { iCalUID: uid, ...timed('by uid', 4, 9) } })).data;
  assert.equal(target.iCalUID, uid);
  const { items } = await listAll(a.cal, { calendarId: 'primary', iCalUID: uid });
  assert.deepEqual(ids(items), [target.id]);
});

test('privateExtendedProperty and sharedExtendedProperty filter on name=value', async () => {
  const a = await newAccount();
  const p = (await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('p', 0, 9, 1, { extendedProperties: { private: { origin: 'abc', x: '1' } } }) })).data;
  const p2 = (await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('p2', 1, 9, 1, { extendedProperties: { private: { origin: 'zzz' } } }) })).data;
  const s = (await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('s', 2, 9, 1, { extendedProperties: { shared: { origin: 'abc' } } }) })).data;
  await insertMany(a, 1);
  const priv = await listAll(a.cal, { calendarId: 'primary', privateExtendedProperty: ['origin=abc'] });
  assert.deepEqual(ids(priv.items), [p.id]);
  const shared = await listAll(a.cal, { calendarId: 'primary', sharedExtendedProperty: ['origin=abc'] });
  assert.deepEqual(ids(shared.items), [s.id]);
  const other = await listAll(a.cal, { calendarId: 'primary', privateExtendedProperty: ['origin=zzz'] });
  assert.deepEqual(ids(other.items), [p2.id]);
  const both = await listAll(a.cal, { calendarId: 'primary', privateExtendedProperty: ['origin=abc', 'x=1'] });
  assert.deepEqual(ids(both.items), [p.id], 'an event matching every constraint is returned');
});

test('q searches summary, description, location and attendees', async () => {
  const a = await newAccount();
  const mk = async (extra) => (await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('plain', 0, 9, 1, extra) })).data;
  const inSummary = await mk({ summary: 'Quarterly zebrafish review' });
  const inDescription = await mk({ description: 'bring the zebrafish notes' });
  const inLocation = await mk({ location: 'Zebrafish room' });
  const inAttendee = await mk({ attendees: [{ email: 'zebrafish@elsewhere.example.com', displayName: 'Zed' }] });
  await mk({ summary: 'unrelated', description: 'nothing here' });
  const { items } = await listAll(a.cal, { calendarId: 'primary', q: 'zebrafish' });
  assert.deepEqual(ids(items), ids([inSummary, inDescription, inLocation, inAttendee]));
});

test('maxResults=2500 is accepted; maxResults=0 fails 400', async () => {
  const a = await newAccount();
  const r = await a.cal.events.list({ calendarId: 'primary', maxResults: 2500 });
  assert.equal(r.status, 200);
  const err = await rejects(() => a.cal.events.list({ calendarId: 'primary', maxResults: 0 }));
  assert.equal(err.response.status, 400);
  assertGoogleError(err.response.data, 400);
});

test('the list of a secondary calendar reports that calendar\'s time zone and summary', async () => {
  const a = await newAccount({ secondary: ['Berlin team'] });
  const side = a.calendars[0].id;
  await a.cal.events.insert({ calendarId: side, requestBody: timed('There', 0, 9) });
  const res = await a.cal.events.list({ calendarId: side });
  assert.equal(res.data.timeZone, 'Europe/Berlin');
  assert.equal(res.data.summary, 'Berlin team');
  assert.equal(res.data.items.length, 1);
});

test('a page token of one query is not a sync token and vice versa', async () => {
  const a = await newAccount();
  await insertMany(a, 3);
  const first = await a.cal.events.list({ calendarId: 'primary', maxResults: 1 });
  assert.ok(first.data.nextPageToken);
  const second = await a.cal.events.list({ calendarId: 'primary', maxResults: 1, pageToken: first.data.nextPageToken });
  assert.equal(second.status, 200);
  assert.notEqual(second.data.items[0].id, first.data.items[0].id, 'the next page holds the next event');
});

test('no change is lost when events change while a full sync is paging', async () => {
  const a = await newAccount();
  const made = await insertMany(a, 4);
  const first = await a.cal.events.list({ calendarId: 'primary', maxResults: 1 });
  const seenFirst = first.data.items[0];
  // Changes between pages: one to an event already received, one new event.
  await a.cal.events.patch({ calendarId: 'primary', eventId: seenFirst.id, requestBody: { summary: 'changed mid-sync' } });
  const added = (await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('added mid-sync', 9, 9) })).data;
  const rest = await listAll(a.cal, { calendarId: 'primary', maxResults: 1, pageToken: first.data.nextPageToken });
  const token = rest.pages.at(-1).nextSyncToken;
  assert.ok(token);
  const inc = await listAll(a.cal, { calendarId: 'primary', syncToken: token });
  const full = [seenFirst, ...rest.items];
  // Converge as a client would: the full listing, then the incremental changes on top.
  const state = new Map(full.map((e) => [e.id, e]));
  for (const e of inc.items) state.set(e.id, e);
  assert.equal(state.get(seenFirst.id).summary, 'changed mid-sync', 'the change to an already received event is not lost');
  assert.ok(state.has(added.id), 'the event added mid-sync is not lost');
  assert.deepEqual([...state.keys()].sort(), ids([...made, added]));
});

test('timeMin without a time zone offset fails 400', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.list({ calendarId: 'primary', timeMin: '2030-01-07T00:00:00' }), 400);
});

test('incremental sync returns an event changed several times once, in its latest state, and nothing from other calendars', async () => {
  const a = await newAccount({ secondary: ['Elsewhere'] });
  const [e] = await insertMany(a, 1);
  const token = (await a.cal.events.list({ calendarId: 'primary' })).data.nextSyncToken;
  for (const s of ['v2', 'v3', 'v4']) await a.cal.events.patch({ calendarId: 'primary', eventId: e.id, requestBody: { summary: s } });
  await a.cal.events.insert({ calendarId: a.calendars[0].id, requestBody: timed('other calendar', 1, 9) });
  const inc = await listAll(a.cal, { calendarId: 'primary', syncToken: token });
  assert.deepEqual(inc.items.map((i) => [i.id, i.summary]), [[e.id, 'v4']]);
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: e.id });
  assert.equal(inc.items[0].etag, got.data.etag, 'listed etag equals the etag of get');
});
