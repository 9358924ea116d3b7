// Organizers and invitations: attendee copies on the attendees' primary calendars, responses, guest rights,
// 403 forbiddenForNonOrganizer, and fromGmail restrictions
// (https://developers.google.com/workspace/calendar/api/guides/errors, https://developers.google.com/workspace/calendar/api/guides/event-types).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newAccount, admin, timed, expectApiError } from './lib.mjs';

const attendee = (event, email) => event.attendees.find((a) => a.email.toLowerCase() === email.toLowerCase());

async function invite(organizer, guests, extra = {}) {
  const res = await organizer.cal.events.insert({
    calendarId: 'primary',
    requestBody: timed('Planning', 2, 10, 1, { attendees: guests.map((g) => ({ email: g.email })), ...extra }),
  });
  return res.data;
}

test('the organizer copy carries organizer, creator and attendees with responses and self flags', async () => {
  const alice = await newAccount({ prefix: 'alice' });
  const bob = await newAccount({ prefix: 'bob' });
  const created = await invite(alice, [alice, bob, { email: 'outside@elsewhere.example.com' }], { guestsCanInviteOthers: false });
  assert.deepEqual(created.organizer, { email: alice.email, self: true });
  assert.equal(created.creator.email, alice.email);
  assert.equal(created.creator.self, true);
  assert.deepEqual(attendee(created, alice.email), { email: alice.email, organizer: true, self: true, responseStatus: 'accepted' });
  assert.deepEqual(attendee(created, bob.email), { email: bob.email, responseStatus: 'needsAction' });
  assert.equal(attendee(created, 'outside@elsewhere.example.com').responseStatus, 'needsAction');
  assert.equal(created.guestsCanInviteOthers, false);
});

test('the invitation is on the attendee\'s primary calendar with the same id and iCalUID', async () => {
  const alice = await newAccount({ prefix: 'alice' });
  const bob = await newAccount({ prefix: 'bob' });
  const created = await invite(alice, [bob]);
  const copy = (await bob.cal.events.get({ calendarId: 'primary', eventId: created.id })).data;
  assert.equal(copy.id, created.id);
  assert.equal(copy.iCalUID, created.iCalUID);
  assert.equal(copy.summary, 'Planning');
  assert.equal(copy.organizer.email, alice.email);
  assert.notEqual(copy.organizer.self, true, 'the organizer is not the calendar this copy is on');
  assert.deepEqual(attendee(copy, bob.email), { email: bob.email, self: true, responseStatus: 'needsAction' });
  const listed = (await bob.cal.events.list({ calendarId: 'primary' })).data.items.map((e) => e.id);
  assert.deepEqual(listed, [created.id]);
});

test('an organizer change reaches the attendee copy through its sync token, with a new etag', async () => {
  const alice = await newAccount({ prefix: 'alice' });
  const bob = await newAccount({ prefix: 'bob' });
  const created = await invite(alice, [bob]);
  const first = (await bob.cal.events.list({ calendarId: 'primary' })).data;
  const before = first.items[0];
  await alice.cal.events.patch({ calendarId: 'primary', eventId: created.id, requestBody: { summary: 'Planning (room 2)' } });
  const changes = (await bob.cal.events.list({ calendarId: 'primary', syncToken: first.nextSyncToken })).data.items;
  assert.equal(changes.length, 1);
  assert.equal(changes[0].id, created.id);
  assert.equal(changes[0].summary, 'Planning (room 2)');
  assert.notEqual(changes[0].etag, before.etag);
});

test('a guest changing the event without guestsCanModify fails 403 forbiddenForNonOrganizer', async () => {
  const alice = await newAccount({ prefix: 'alice' });
  const bob = await newAccount({ prefix: 'bob' });
  const created = await invite(alice, [bob]);
  await expectApiError(() => bob.cal.events.patch({ calendarId: 'primary', eventId: created.id, requestBody: { summary: 'Hijacked' } }),
    403, { reason: 'forbiddenForNonOrganizer', domain: 'calendar' });
  const copy = (await bob.cal.events.get({ calendarId: 'primary', eventId: created.id })).data;
  await expectApiError(() => bob.cal.events.update({
    calendarId: 'primary', eventId: created.id, requestBody: { ...copy, location: 'Elsewhere' },
  }), 403, { reason: 'forbiddenForNonOrganizer' });
  const organizerCopy = (await alice.cal.events.get({ calendarId: 'primary', eventId: created.id })).data;
  assert.equal(organizerCopy.summary, 'Planning');
  assert.equal(organizerCopy.location, undefined);
});

test('a guest may answer and keep its own reminders and colour; the organizer sees the answer', async () => {
  const alice = await newAccount({ prefix: 'alice' });
  const bob = await newAccount({ prefix: 'bob' });
  const created = await invite(alice, [bob]);
  const copy = (await bob.cal.events.get({ calendarId: 'primary', eventId: created.id })).data;
  const attendees = copy.attendees.map((a) => (a.self ? { ...a, responseStatus: 'accepted' } : a));
  const answered = (await bob.cal.events.patch({
    calendarId: 'primary', eventId: created.id,
    requestBody: { attendees, colorId: '3', reminders: { useDefault: false, overrides: [{ method: 'popup', minutes: 10 }] } },
  })).data;
  assert.equal(attendee(answered, bob.email).responseStatus, 'accepted');
  assert.equal(answered.colorId, '3');
  const organizerCopy = (await alice.cal.events.get({ calendarId: 'primary', eventId: created.id })).data;
  assert.equal(attendee(organizerCopy, bob.email).responseStatus, 'accepted');
  assert.equal(organizerCopy.colorId, undefined, 'colours are per person');
  assert.deepEqual(organizerCopy.reminders, { useDefault: true }, 'reminders are per person');
});

test('with guestsCanModify a guest\'s change reaches the organizer', async () => {
  const alice = await newAccount({ prefix: 'alice' });
  const bob = await newAccount({ prefix: 'bob' });
  const created = await invite(alice, [bob], { guestsCanModify: true });
  assert.equal(created.guestsCanModify, true);
  await bob.cal.events.patch({ calendarId: 'primary', eventId: created.id, requestBody: { summary: 'Planning, moved by Bob' } });
  const organizerCopy = (await alice.cal.events.get({ calendarId: 'primary', eventId: created.id })).data;
  assert.equal(organizerCopy.summary, 'Planning, moved by Bob');
  assert.equal(organizerCopy.organizer.self, true);
});

test('a guest deleting removes only its copy and declines; the organizer deleting cancels it for everyone', async () => {
  const alice = await newAccount({ prefix: 'alice' });
  const bob = await newAccount({ prefix: 'bob' });
  const carol = await newAccount({ prefix: 'carol' });
  const created = await invite(alice, [bob, carol]);
  await bob.cal.events.delete({ calendarId: 'primary', eventId: created.id });
  assert.equal((await bob.cal.events.get({ calendarId: 'primary', eventId: created.id })).data.status, 'cancelled');
  const organizerCopy = (await alice.cal.events.get({ calendarId: 'primary', eventId: created.id })).data;
  assert.equal(organizerCopy.status, 'confirmed');
  assert.equal(attendee(organizerCopy, bob.email).responseStatus, 'declined');

  await alice.cal.events.delete({ calendarId: 'primary', eventId: created.id });
  assert.equal((await carol.cal.events.get({ calendarId: 'primary', eventId: created.id })).data.status, 'cancelled');
  assert.deepEqual((await carol.cal.events.list({ calendarId: 'primary' })).data.items, []);
});

test('a fromGmail event (planted as Google would) accepts only reminders, colorId, visibility, status and extendedProperties changes', async () => {
  const a = await newAccount();
  const planted = await admin('POST', `/emulator/calendars/${encodeURIComponent(a.email)}/events`,
    timed('Flight LH 123', 3, 8, 2, { eventType: 'fromGmail' }));
  const got = (await a.cal.events.get({ calendarId: 'primary', eventId: planted.id })).data;
  assert.equal(got.eventType, 'fromGmail');
  assert.equal(got.organizer.email, a.email);
  const listed = (await a.cal.events.list({ calendarId: 'primary', eventTypes: ['fromGmail'] })).data.items.map((e) => e.id);
  assert.deepEqual(listed, [planted.id]);
  const patched = (await a.cal.events.patch({ calendarId: 'primary', eventId: planted.id, requestBody: { colorId: '2', visibility: 'private' } })).data;
  assert.equal(patched.colorId, '2');
  await expectApiError(() => a.cal.events.patch({ calendarId: 'primary', eventId: planted.id, requestBody: { summary: 'Renamed' } }), 400);
});
