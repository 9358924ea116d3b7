// events.insert/get/update/patch/delete, ids, conditional requests
// (https://developers.google.com/workspace/calendar/api/v3/reference/events).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newAccount, eventId, timed, utc, ms, expectApiError, raw } from './lib.mjs';

const ID_CHARSET = /^[a-v0-9]{5,1024}$/;

test('insert without an id returns a complete calendar#event', async () => {
  const a = await newAccount();
  const res = await a.cal.events.insert({
    calendarId: 'primary',
    requestBody: timed('Standup', 0, 9, 1, { description: 'daily', location: 'Room 1' }),
  });
  assert.equal(res.status, 200);
  const e = res.data;
  assert.equal(e.kind, 'calendar#event');
  assert.match(e.id, ID_CHARSET, 'server id is base32hex, 5..1024 chars');
  assert.equal(e.status, 'confirmed');
  assert.equal(e.summary, 'Standup');
  assert.equal(e.description, 'daily');
  assert.equal(e.location, 'Room 1');
  assert.equal(ms(e.start.dateTime), ms('2030-01-07T09:00:00Z'));
  assert.equal(ms(e.end.dateTime), ms('2030-01-07T10:00:00Z'));
  assert.equal(typeof e.etag, 'string');
  assert.match(e.etag, /^".+"$/, 'etag is a quoted string');
  assert.ok(ms(e.created) <= ms(e.updated), 'created <= updated');
  assert.ok(e.iCalUID, 'iCalUID generated');
  assert.equal(e.creator?.email, a.email);
  assert.equal(e.organizer?.email, a.email);
  assert.equal(e.organizer?.self, true);
  assert.equal(e.eventType, 'default');
  assert.equal(typeof e.htmlLink, 'string');
  assert.equal(e.sequence, 0);
});

test('insert with a client-chosen id keeps that id; get returns the same event', async () => {
  const a = await newAccount();
  const id = eventId();
  const ins = await a.cal.events.insert({ calendarId: 'primary', requestBody: { id, ...timed('Mine', 1, 10) } });
  assert.equal(ins.data.id, id);
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: id });
  assert.equal(got.status, 200);
  assert.equal(got.data.id, id);
  assert.equal(got.data.summary, 'Mine');
  assert.equal(got.data.etag, ins.data.etag);
  assert.equal(got.headers.get('etag'), got.data.etag, 'ETag header equals body etag');
});

test('the account email works as calendarId like primary (path percent-encoded)', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({ calendarId: a.email, requestBody: timed('By email', 1, 8) });
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: ins.data.id });
  assert.equal(got.data.summary, 'By email');
});

test('insert with an existing id fails 409 duplicate', async () => {
  const a = await newAccount();
  const id = eventId();
  await a.cal.events.insert({ calendarId: 'primary', requestBody: { id, ...timed('First', 1, 10) } });
  await expectApiError(
    () => a.cal.events.insert({ calendarId: 'primary', requestBody: { id, ...timed('Second', 1, 11) } }),
    409, { domain: 'global', reason: 'duplicate', message: 'The requested identifier already exists.' });
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: id });
  assert.equal(got.data.summary, 'First', 'the original is untouched');
});

test('insert with an invalid id fails 400', async (t) => {
  const a = await newAccount();
  for (const bad of ['ABCDEFGH', 'abcdwxyz', 'abc', 'abc_defgh', 'x'.repeat(1025)]) {
    await t.test(`id ${bad.slice(0, 12)}${bad.length > 12 ? '…' : ''}`, async () => {
      await expectApiError(
        () => a.cal.events.insert({ calendarId: 'primary', requestBody: { id: bad, ...timed('Bad', 1, 10) } }), 400);
    });
  }
});

test('insert without start or end fails 400', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.insert({ calendarId: 'primary', requestBody: { summary: 'no times' } }), 400);
  await expectApiError(() => a.cal.events.insert({
    calendarId: 'primary', requestBody: { summary: 'no end', start: { dateTime: '2030-01-07T09:00:00Z' } },
  }), 400);
});

test('an all-day event keeps its dates', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({
    calendarId: 'primary', requestBody: { summary: 'Holiday', start: { date: '2030-01-10' }, end: { date: '2030-01-11' } },
  });
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: ins.data.id });
  assert.equal(got.data.start.date, '2030-01-10');
  assert.equal(got.data.end.date, '2030-01-11');
  assert.equal(got.data.start.dateTime, undefined);
});

test('get of an unknown event fails 404 notFound', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.get({ calendarId: 'primary', eventId: eventId() }), 404,
    { domain: 'global', reason: 'notFound', message: 'Not Found' });
});

test('update replaces the whole event and changes etag and updated', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({
    calendarId: 'primary',
    requestBody: timed('Before', 2, 9, 1, { description: 'to drop', location: 'to drop', colorId: '3' }),
  });
  const upd = await a.cal.events.update({
    calendarId: 'primary', eventId: ins.data.id, requestBody: timed('After', 2, 13, 2),
  });
  assert.equal(upd.status, 200);
  assert.equal(upd.data.id, ins.data.id);
  assert.equal(upd.data.summary, 'After');
  assert.equal(upd.data.description, undefined, 'fields not sent are cleared');
  assert.equal(upd.data.location, undefined);
  assert.equal(upd.data.colorId, undefined);
  assert.equal(ms(upd.data.start.dateTime), ms('2030-01-09T13:00:00Z'));
  assert.notEqual(upd.data.etag, ins.data.etag, 'etag changes');
  assert.ok(ms(upd.data.updated) >= ms(ins.data.updated), 'updated does not go back');
  assert.equal(upd.data.created, ins.data.created, 'created stays');
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: ins.data.id });
  assert.equal(got.data.summary, 'After');
  assert.equal(got.data.description, undefined);
});

test('update without start/end fails 400', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('X', 2, 9) });
  await expectApiError(() => a.cal.events.update({
    calendarId: 'primary', eventId: ins.data.id, requestBody: { summary: 'no times' },
  }), 400);
});

test('patch changes only the fields sent', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({
    calendarId: 'primary', requestBody: timed('Orig', 3, 9, 1, { description: 'keep me', location: 'Here' }),
  });
  const pat = await a.cal.events.patch({
    calendarId: 'primary', eventId: ins.data.id, requestBody: { summary: 'Patched' },
  });
  assert.equal(pat.status, 200);
  assert.equal(pat.data.summary, 'Patched');
  assert.equal(pat.data.description, 'keep me');
  assert.equal(pat.data.location, 'Here');
  assert.equal(ms(pat.data.start.dateTime), ms(ins.data.start.dateTime));
  assert.notEqual(pat.data.etag, ins.data.etag);
});

test('extended properties: patch null removes a key, update drops unsent keys', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({
    calendarId: 'primary',
    requestBody: timed('Props', 3, 11, 1, { extendedProperties: { private: { a: '1', b: '2' }, shared: { s: 'x' } } }),
  });
  assert.deepEqual(ins.data.extendedProperties, { private: { a: '1', b: '2' }, shared: { s: 'x' } });
  const pat = await a.cal.events.patch({
    calendarId: 'primary', eventId: ins.data.id,
    requestBody: { extendedProperties: { private: { a: null, c: '3' } } },
  });
  assert.deepEqual(pat.data.extendedProperties.private, { b: '2', c: '3' }, 'null deletes a, c added, b kept');
  assert.deepEqual(pat.data.extendedProperties.shared, { s: 'x' });
  const upd = await a.cal.events.update({
    calendarId: 'primary', eventId: ins.data.id,
    requestBody: timed('Props', 3, 11, 1, { extendedProperties: { private: { c: '3' } } }),
  });
  assert.deepEqual(upd.data.extendedProperties.private, { c: '3' });
  assert.equal(upd.data.extendedProperties.shared, undefined);
});

test('delete answers 204 empty; get then shows cancelled; a second delete fails 410 deleted', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Doomed', 4, 9) });
  const del = await a.cal.events.delete({ calendarId: 'primary', eventId: ins.data.id });
  assert.equal(del.status, 204);
  assert.equal(del.data, '');
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: ins.data.id });
  assert.equal(got.status, 200);
  assert.equal(got.data.id, ins.data.id);
  assert.equal(got.data.status, 'cancelled');
  await expectApiError(() => a.cal.events.delete({ calendarId: 'primary', eventId: ins.data.id }), 410,
    { domain: 'calendar', reason: 'deleted' });
});

test('delete of an unknown event fails 404', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.delete({ calendarId: 'primary', eventId: eventId() }), 404,
    { reason: 'notFound' });
});

test('If-Match with the current etag succeeds; a stale etag fails 412 conditionNotMet', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Guarded', 5, 9) });
  const ok = await a.cal.events.patch(
    { calendarId: 'primary', eventId: ins.data.id, requestBody: { summary: 'v2' } },
    { headers: { 'If-Match': ins.data.etag } });
  assert.equal(ok.data.summary, 'v2');
  const stale = ins.data.etag;
  await expectApiError(() => a.cal.events.patch(
    { calendarId: 'primary', eventId: ins.data.id, requestBody: { summary: 'v3' } },
    { headers: { 'If-Match': stale } }), 412, { reason: 'conditionNotMet' });
  await expectApiError(() => a.cal.events.update(
    { calendarId: 'primary', eventId: ins.data.id, requestBody: timed('v3', 5, 9) },
    { headers: { 'If-Match': stale } }), 412, { reason: 'conditionNotMet' });
  await expectApiError(() => a.cal.events.delete(
    { calendarId: 'primary', eventId: ins.data.id }, { headers: { 'If-Match': stale } }), 412, { reason: 'conditionNotMet' });
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: ins.data.id });
  assert.equal(got.data.summary, 'v2', 'failed preconditions changed nothing');
  assert.equal(got.data.status, 'confirmed');
  const del = await a.cal.events.delete(
    { calendarId: 'primary', eventId: ins.data.id }, { headers: { 'If-Match': got.data.etag } });
  assert.equal(del.status, 204);
});

test('If-Match on insert is ignored', async () => {
  const a = await newAccount();
  const res = await a.cal.events.insert(
    { calendarId: 'primary', requestBody: timed('Insert with If-Match', 5, 11) },
    { headers: { 'If-Match': '"1234567890"' } });
  assert.equal(res.status, 200);
});

test('If-None-Match with the current etag answers 304 (resolved by the client)', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Cached', 5, 13) });
  const res = await a.cal.events.get(
    { calendarId: 'primary', eventId: ins.data.id }, { headers: { 'If-None-Match': ins.data.etag } });
  assert.equal(res.status, 304);
  assert.equal(res.data, '');
  const changed = await a.cal.events.get(
    { calendarId: 'primary', eventId: ins.data.id }, { headers: { 'If-None-Match': '"0"' } });
  assert.equal(changed.status, 200);
});

test('sendUpdates is accepted on insert, update, patch and delete', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({
    calendarId: 'primary', sendUpdates: 'all',
    requestBody: timed('Invite', 6, 9, 1, { attendees: [{ email: 'guest@elsewhere.example.com' }] }),
  });
  assert.equal(ins.data.attendees?.[0]?.email, 'guest@elsewhere.example.com');
  await a.cal.events.update({ calendarId: 'primary', eventId: ins.data.id, sendUpdates: 'externalOnly', requestBody: timed('Invite 2', 6, 9) });
  await a.cal.events.patch({ calendarId: 'primary', eventId: ins.data.id, sendUpdates: 'none', requestBody: { summary: 'Invite 3' } });
  const del = await a.cal.events.delete({ calendarId: 'primary', eventId: ins.data.id, sendUpdates: 'all' });
  assert.equal(del.status, 204);
});

test('events of a secondary calendar are separate from the primary', async () => {
  const a = await newAccount({ secondary: ['Side'] });
  const side = a.calendars[0].id;
  const ins = await a.cal.events.insert({ calendarId: side, requestBody: timed('On side', 7, 9) });
  const got = await a.cal.events.get({ calendarId: side, eventId: ins.data.id });
  assert.equal(got.data.summary, 'On side');
  await expectApiError(() => a.cal.events.get({ calendarId: 'primary', eventId: ins.data.id }), 404);
});

test('event responses are JSON with charset UTF-8', async () => {
  const a = await newAccount();
  const r = await raw(a, 'POST', 'calendars/primary/events', { body: timed('Ünïcødé ☕', 7, 11) });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json; charset=utf-8$/i);
  assert.equal(r.json.summary, 'Ünïcødé ☕');
  assert.equal(r.headers.get('etag'), r.json.etag);
});

test('get with timeZone answers in that time zone', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Zoned', 0, 9) });
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: ins.data.id, timeZone: 'Asia/Tokyo' });
  assert.match(got.data.start.dateTime, /\+09:00$/, `offset of Asia/Tokyo: ${got.data.start.dateTime}`);
  assert.equal(ms(got.data.start.dateTime), ms('2030-01-07T09:00:00Z'), 'same instant');
  assert.equal(ms(got.data.end.dateTime), ms('2030-01-07T10:00:00Z'));
});

test('changing only reminders does not change updated', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({
    calendarId: 'primary',
    requestBody: timed('Remind me', 1, 9, 1, { reminders: { useDefault: false, overrides: [{ method: 'popup', minutes: 10 }] } }),
  });
  assert.deepEqual(ins.data.reminders, { useDefault: false, overrides: [{ method: 'popup', minutes: 10 }] });
  const pat = await a.cal.events.patch({
    calendarId: 'primary', eventId: ins.data.id,
    requestBody: { reminders: { useDefault: false, overrides: [{ method: 'email', minutes: 30 }] } },
  });
  assert.deepEqual(pat.data.reminders.overrides, [{ method: 'email', minutes: 30 }]);
  assert.equal(pat.data.updated, ins.data.updated, 'reminder changes are not reflected in updated');
});

test('more than 5 reminder overrides fail 400', async () => {
  const a = await newAccount();
  const overrides = [5, 10, 15, 20, 25, 30].map((minutes) => ({ method: 'popup', minutes }));
  await expectApiError(() => a.cal.events.insert({
    calendarId: 'primary', requestBody: timed('Too many', 1, 11, 1, { reminders: { useDefault: false, overrides } }),
  }), 400);
});

test('conferenceData is ignored without conferenceDataVersion=1', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({
    calendarId: 'primary',
    requestBody: timed('Call', 1, 13, 1, { conferenceData: { createRequest: { requestId: 'req-1', conferenceSolutionKey: { type: 'hangoutsMeet' } } } }),
  });
  assert.equal(ins.data.conferenceData, undefined);
});

test('a deleted event on the organizer\'s calendar keeps its details', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Keep details', 2, 9, 1, { location: 'Room 7' }) });
  await a.cal.events.delete({ calendarId: 'primary', eventId: ins.data.id });
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: ins.data.id });
  assert.equal(got.data.status, 'cancelled');
  assert.equal(got.data.summary, 'Keep details');
  assert.equal(got.data.location, 'Room 7');
});

test('an end before the start fails 400', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.insert({
    calendarId: 'primary', requestBody: { summary: 'Backwards', start: { dateTime: utc(2, 10) }, end: { dateTime: utc(2, 9) } },
  }), 400);
});

test('a dateTime without offset needs a timeZone (400 otherwise)', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.insert({
    calendarId: 'primary', requestBody: { summary: 'Floating', start: { dateTime: '2030-01-09T09:00:00' }, end: { dateTime: '2030-01-09T10:00:00' } },
  }), 400);
  const ok = await a.cal.events.insert({
    calendarId: 'primary',
    requestBody: {
      summary: 'Zoned', start: { dateTime: '2030-01-09T09:00:00', timeZone: 'America/New_York' },
      end: { dateTime: '2030-01-09T10:00:00', timeZone: 'America/New_York' },
    },
  });
  assert.equal(ms(ok.data.start.dateTime), ms('2030-01-09T14:00:00Z'), '09:00 New York is 14:00Z');
  assert.equal(ok.data.start.timeZone, 'America/New_York', 'timeZone echoed');
});

test('fields selects a partial response', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Partial', 3, 9, 1, { description: 'hidden' }) });
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: ins.data.id, fields: 'id,summary' });
  assert.deepEqual(got.data, { id: ins.data.id, summary: 'Partial' });
  const list = await a.cal.events.list({ calendarId: 'primary', fields: 'items(id,start),nextSyncToken' });
  assert.deepEqual(Object.keys(list.data).sort(), ['items', 'nextSyncToken']);
  assert.deepEqual(Object.keys(list.data.items[0]).sort(), ['id', 'start']);
});

test('the access token may be passed as oauth_token instead of a header', async () => {
  const a = await newAccount();
  const r = await raw(null, 'GET', `calendars/primary?oauth_token=${encodeURIComponent(a.tokens.access_token)}`, { token: null });
  assert.equal(r.status, 200);
  assert.equal(r.json.id, a.email);
});

test('a deleted event can be restored by setting status confirmed', async () => {
  const a = await newAccount();
  const id = eventId();
  await a.cal.events.insert({ calendarId: 'primary', requestBody: { id, ...timed('Phoenix', 4, 13) } });
  await a.cal.events.delete({ calendarId: 'primary', eventId: id });
  const back = await a.cal.events.patch({ calendarId: 'primary', eventId: id, requestBody: { status: 'confirmed' } });
  assert.equal(back.data.status, 'confirmed');
  assert.equal(back.data.summary, 'Phoenix');
  const listed = await a.cal.events.list({ calendarId: 'primary' });
  assert.deepEqual(listed.data.items.map((e) => e.id), [id]);
});

test('status tentative and transparency round-trip', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({
    calendarId: 'primary', requestBody: timed('Maybe', 4, 15, 1, { status: 'tentative', transparency: 'transparent', visibility: 'private' }),
  });
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: ins.data.id });
  assert.equal(got.data.status, 'tentative');
  assert.equal(got.data.transparency, 'transparent');
  assert.equal(got.data.visibility, 'private');
});

test('maxAttendees trims the attendee list and sets attendeesOmitted', async () => {
  const a = await newAccount();
  const attendees = ['x1', 'x2', 'x3'].map((n) => ({ email: `${n}@elsewhere.example.com` }));
  const ins = await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Crowd', 5, 15, 1, { attendees }) });
  assert.equal(ins.data.attendees.length, 3);
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: ins.data.id, maxAttendees: 1 });
  assert.ok(got.data.attendees.length <= 1, `at most 1 attendee (got ${got.data.attendees.length})`);
  assert.equal(got.data.attendeesOmitted, true);
});

test('events.list with timeZone answers in that time zone', async () => {
  const a = await newAccount();
  await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Zoned list', 0, 9) });
  const res = await a.cal.events.list({ calendarId: 'primary', timeZone: 'America/Los_Angeles' });
  assert.match(res.data.items[0].start.dateTime, /-08:00$/);
  assert.equal(ms(res.data.items[0].start.dateTime), ms('2030-01-07T09:00:00Z'));
});

test('ids of 5 and of 1024 base32hex characters are accepted', async () => {
  const a = await newAccount();
  for (const id of [`v${eventId().slice(0, 4)}`, eventId().repeat(40).slice(0, 1024)]) {
    const ins = await a.cal.events.insert({ calendarId: 'primary', requestBody: { id, ...timed('Edge id', 6, 9) } });
    assert.equal(ins.data.id, id);
  }
});

test('update and patch of an unknown event fail 404', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.update({ calendarId: 'primary', eventId: eventId(), requestBody: timed('Ghost', 6, 11) }), 404, { reason: 'notFound' });
  await expectApiError(() => a.cal.events.patch({ calendarId: 'primary', eventId: eventId(), requestBody: { summary: 'Ghost' } }), 404, { reason: 'notFound' });
});

test('recurrence lines may not hold DTSTART', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.insert({
    calendarId: 'primary',
    requestBody: {
      summary: 'DTSTART', start: { dateTime: '2030-01-07T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2030-01-07T10:00:00', timeZone: 'UTC' },
      recurrence: ['DTSTART:20300107T090000Z', 'RRULE:FREQ=DAILY;COUNT=2'],
    },
  }), 400);
});

test('reminder minutes above 40320 fail 400', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.insert({
    calendarId: 'primary', requestBody: timed('Far reminder', 6, 13, 1, { reminders: { useDefault: false, overrides: [{ method: 'popup', minutes: 40321 }] } }),
  }), 400);
});

test('an unknown sendUpdates value fails 400', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.insert({ calendarId: 'primary', sendUpdates: 'everyone', requestBody: timed('Bad enum', 6, 15) }), 400);
});

test('an unknown orderBy value fails 400', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.list({ calendarId: 'primary', orderBy: 'summary' }), 400);
});

test('an attendee without an email fails 400', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.insert({
    calendarId: 'primary', requestBody: timed('Nameless guest', 6, 17, 1, { attendees: [{ displayName: 'No mail' }] }),
  }), 400);
});

test('an attendee email that is not an RFC 5322 address fails 400', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.insert({
    calendarId: 'primary', requestBody: timed('Bad guest', 6, 19, 1, { attendees: [{ email: 'not-an-email' }] }),
  }), 400);
});

test('an unknown time zone fails 400', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.insert({
    calendarId: 'primary',
    requestBody: {
      summary: 'Mars', start: { dateTime: '2030-01-07T09:00:00', timeZone: 'Mars/Base' }, end: { dateTime: '2030-01-07T10:00:00', timeZone: 'Mars/Base' },
    },
  }), 400);
});

test('an all-day event stays all-day on the same date in any response time zone', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({ calendarId: 'primary', requestBody: { summary: 'Day off', start: { date: '2030-01-10' }, end: { date: '2030-01-11' } } });
  for (const timeZone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/Berlin']) {
    const got = await a.cal.events.get({ calendarId: 'primary', eventId: ins.data.id, timeZone });
    assert.deepEqual(got.data.start, { date: '2030-01-10' }, timeZone);
    assert.deepEqual(got.data.end, { date: '2030-01-11' }, timeZone);
    const listed = await a.cal.events.list({ calendarId: 'primary', timeZone });
    assert.deepEqual(listed.data.items[0].start, { date: '2030-01-10' }, `list in ${timeZone}`);
  }
});
