// calendarList.list/get, calendars.get, colors.get
// (https://developers.google.com/workspace/calendar/api/v3/reference).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newAccount, admin, expectApiError } from './lib.mjs';

test('calendarList.list shows the primary calendar of a fresh account', async () => {
  const a = await newAccount({ name: 'Cara List' });
  const res = await a.cal.calendarList.list();
  assert.equal(res.status, 200);
  assert.equal(res.data.kind, 'calendar#calendarList');
  assert.equal(typeof res.data.etag, 'string');
  assert.ok(Array.isArray(res.data.items));
  const primary = res.data.items.filter((c) => c.primary === true);
  assert.equal(primary.length, 1, 'exactly one primary entry');
  const p = primary[0];
  assert.equal(p.kind, 'calendar#calendarListEntry');
  assert.equal(p.id, a.email, 'primary calendar id is the account email');
  assert.equal(p.accessRole, 'owner');
  assert.equal(typeof p.etag, 'string');
  assert.equal(typeof p.timeZone, 'string');
  assert.ok(res.data.nextSyncToken, 'single page carries nextSyncToken');
  assert.equal(res.data.nextPageToken, undefined);
});

test('calendarList.list includes secondary calendars with their summary and time zone', async () => {
  const a = await newAccount({ secondary: ['Team', 'Holidays'] });
  const res = await a.cal.calendarList.list();
  for (const created of a.calendars) {
    const entry = res.data.items.find((c) => c.id === created.id);
    assert.ok(entry, `secondary ${created.id} listed`);
    assert.equal(entry.summary, created.summary);
    assert.equal(entry.timeZone, 'Europe/Berlin');
    assert.equal(entry.accessRole, 'owner');
    assert.notEqual(entry.primary, true);
    assert.notEqual(entry.id, a.email);
  }
  assert.equal(res.data.items.length, 3);
});

test('calendarList.list pages with maxResults and gives nextSyncToken only on the last page', async () => {
  const a = await newAccount({ secondary: ['One', 'Two'] });
  const ids = [];
  let pageToken;
  let pages = 0;
  do {
    const res = await a.cal.calendarList.list({ maxResults: 1, pageToken });
    pages += 1;
    assert.ok(res.data.items.length <= 1);
    ids.push(...res.data.items.map((c) => c.id));
    pageToken = res.data.nextPageToken;
    if (pageToken) assert.equal(res.data.nextSyncToken, undefined, 'no nextSyncToken beside nextPageToken');
    else assert.ok(res.data.nextSyncToken, 'last page has nextSyncToken');
  } while (pageToken && pages < 10);
  assert.deepEqual([...new Set(ids)].sort(), [a.email, ...a.calendars.map((c) => c.id)].sort());
});

test('calendarList.get answers for primary, the email and a secondary id', async () => {
  const a = await newAccount({ secondary: ['Side'] });
  const byPrimary = await a.cal.calendarList.get({ calendarId: 'primary' });
  assert.equal(byPrimary.data.kind, 'calendar#calendarListEntry');
  assert.equal(byPrimary.data.id, a.email);
  assert.equal(byPrimary.data.primary, true);
  const byEmail = await a.cal.calendarList.get({ calendarId: a.email });
  assert.equal(byEmail.data.id, a.email);
  const side = await a.cal.calendarList.get({ calendarId: a.calendars[0].id });
  assert.equal(side.data.id, a.calendars[0].id);
  assert.equal(side.data.summary, 'Side');
});

test('calendars.get returns the calendar resource', async () => {
  const a = await newAccount({ secondary: ['Projects'] });
  const primary = await a.cal.calendars.get({ calendarId: 'primary' });
  assert.equal(primary.status, 200);
  assert.equal(primary.data.kind, 'calendar#calendar');
  assert.equal(primary.data.id, a.email);
  assert.equal(typeof primary.data.etag, 'string');
  assert.equal(typeof primary.data.timeZone, 'string');
  assert.equal(typeof primary.data.summary, 'string');
  const side = await a.cal.calendars.get({ calendarId: a.calendars[0].id });
  assert.equal(side.data.id, a.calendars[0].id);
  assert.equal(side.data.summary, 'Projects');
  assert.equal(side.data.timeZone, 'Europe/Berlin');
});

test('colors.get returns Google\'s fixed palettes', async () => {
  const a = await newAccount();
  const res = await a.cal.colors.get();
  assert.equal(res.status, 200);
  assert.equal(res.data.kind, 'calendar#colors');
  assert.equal(res.data.updated, '2012-02-14T00:00:00.000Z');
  const eventBg = ['#a4bdfc', '#7ae7bf', '#dbadff', '#ff887c', '#fbd75b', '#ffb878', '#46d6db', '#e1e1e1', '#5484ed', '#51b749', '#dc2127'];
  assert.deepEqual(Object.keys(res.data.event).sort((x, y) => x - y), eventBg.map((_, i) => String(i + 1)));
  eventBg.forEach((bg, i) => {
    assert.deepEqual(res.data.event[String(i + 1)], { background: bg, foreground: '#1d1d1d' }, `event color ${i + 1}`);
  });
  const calBg = ['#ac725e', '#d06b64', '#f83a22', '#fa573c', '#ff7537', '#ffad46', '#42d692', '#16a765',
    '#7bd148', '#b3dc6c', '#fbe983', '#fad165', '#92e1c0', '#9fe1e7', '#9fc6e7', '#4986e7'];
  assert.equal(Object.keys(res.data.calendar).length, 24);
  calBg.forEach((bg, i) => {
    assert.deepEqual(res.data.calendar[String(i + 1)], { background: bg, foreground: '#1d1d1d' }, `calendar color ${i + 1}`);
  });
});

test('calendarList.list with a sync token returns calendars added since', async () => {
  const a = await newAccount();
  const token = (await a.cal.calendarList.list()).data.nextSyncToken;
  assert.ok(token);
  const added = await admin('POST', `/emulator/accounts/${encodeURIComponent(a.email)}/calendars`, { summary: 'Later', timeZone: 'UTC' });
  const inc = await a.cal.calendarList.list({ syncToken: token });
  assert.deepEqual(inc.data.items.map((c) => c.id), [added.id]);
  assert.ok(inc.data.nextSyncToken);
});

test('calendarList.list: minAccessRole with a sync token fails 400; an unknown token fails 410', async () => {
  const a = await newAccount();
  const token = (await a.cal.calendarList.list()).data.nextSyncToken;
  await expectApiError(() => a.cal.calendarList.list({ syncToken: token, minAccessRole: 'owner' }), 400);
  await expectApiError(() => a.cal.calendarList.list({ syncToken: 'CPDAlvWDx70CEPDAlvWDx70CGAU=' }), 410, { reason: 'fullSyncRequired' });
});

test('a calendar shared read-only shows accessRole reader and filters by minAccessRole', async () => {
  const owner = await newAccount({ secondary: ['Shared'] });
  const reader = await newAccount();
  const shared = owner.calendars[0].id;
  // Sharing is not part of the supported Calendar API surface; the emulator's admin API sets it up.
  await admin('POST', `/emulator/calendars/${encodeURIComponent(shared)}/acl`, { email: reader.email, role: 'reader' });
  await owner.cal.events.insert({ calendarId: shared, requestBody: { summary: 'Team day', start: { date: '2030-01-10' }, end: { date: '2030-01-11' } } });
  const all = await reader.cal.calendarList.list();
  const entry = all.data.items.find((c) => c.id === shared);
  assert.equal(entry?.accessRole, 'reader');
  const owned = await reader.cal.calendarList.list({ minAccessRole: 'owner' });
  assert.ok(!owned.data.items.some((c) => c.id === shared), 'minAccessRole=owner leaves it out');
  assert.ok(owned.data.items.some((c) => c.id === reader.email));
  const events = await reader.cal.events.list({ calendarId: shared });
  assert.equal(events.data.accessRole, 'reader');
  assert.equal(events.data.items[0].summary, 'Team day');
  await expectApiError(() => reader.cal.events.insert({ calendarId: shared, requestBody: { summary: 'x', start: { date: '2030-01-12' }, end: { date: '2030-01-13' } } }), 403);
});
