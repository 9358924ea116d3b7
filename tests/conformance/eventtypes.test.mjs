// Event types: status events on primary only, type-specific properties, immutability
// (https://developers.google.com/workspace/calendar/api/guides/event-types).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newAccount, timed, expectApiError, listAll } from './lib.mjs';

const ooo = (day = 0) => timed('Out of office', day, 8, 8, {
  eventType: 'outOfOffice',
  outOfOfficeProperties: { autoDeclineMode: 'declineAllConflictingInvitations', declineMessage: 'Away' },
});
const focus = (day = 0) => timed('Focus', day, 13, 2, {
  eventType: 'focusTime',
  focusTimeProperties: { autoDeclineMode: 'declineOnlyNewConflictingInvitations', declineMessage: 'Focusing', chatStatus: 'doNotDisturb' },
});
const working = (day = 0) => ({
  summary: 'Home', eventType: 'workingLocation', visibility: 'public', transparency: 'transparent',
  start: { date: `2030-01-${String(7 + day).padStart(2, '0')}` }, end: { date: `2030-01-${String(8 + day).padStart(2, '0')}` },
  workingLocationProperties: { type: 'homeOffice', homeOffice: {} },
});

test('outOfOffice on the primary calendar is created with its properties', async () => {
  const a = await newAccount();
  const res = await a.cal.events.insert({ calendarId: 'primary', requestBody: ooo() });
  assert.equal(res.status, 200);
  assert.equal(res.data.eventType, 'outOfOffice');
  assert.deepEqual(res.data.outOfOfficeProperties, { autoDeclineMode: 'declineAllConflictingInvitations', declineMessage: 'Away' });
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: res.data.id });
  assert.equal(got.data.eventType, 'outOfOffice');
});

test('focusTime on the primary calendar is created with its properties', async () => {
  const a = await newAccount();
  const res = await a.cal.events.insert({ calendarId: 'primary', requestBody: focus() });
  assert.equal(res.data.eventType, 'focusTime');
  assert.deepEqual(res.data.focusTimeProperties,
    { autoDeclineMode: 'declineOnlyNewConflictingInvitations', declineMessage: 'Focusing', chatStatus: 'doNotDisturb' });
});

test('workingLocation on the primary calendar is created with its properties', async () => {
  const a = await newAccount();
  const res = await a.cal.events.insert({ calendarId: 'primary', requestBody: working() });
  assert.equal(res.data.eventType, 'workingLocation');
  assert.equal(res.data.workingLocationProperties.type, 'homeOffice');
});

test('status events on a secondary calendar fail 400', async (t) => {
  const a = await newAccount({ secondary: ['Side'] });
  const side = a.calendars[0].id;
  for (const [name, body] of [['outOfOffice', ooo()], ['focusTime', focus()], ['workingLocation', working()]]) {
    await t.test(name, async () => {
      await expectApiError(() => a.cal.events.insert({ calendarId: side, requestBody: body }), 400);
    });
  }
  const { items } = await listAll(a.cal, { calendarId: side, showDeleted: true });
  assert.deepEqual(items, [], 'nothing was created');
});

test('type-specific properties on a default event fail 400', async (t) => {
  const a = await newAccount();
  const cases = {
    outOfOfficeProperties: { autoDeclineMode: 'declineNone' },
    focusTimeProperties: { chatStatus: 'available' },
    workingLocationProperties: { type: 'homeOffice', homeOffice: {} },
  };
  for (const [prop, value] of Object.entries(cases)) {
    await t.test(prop, async () => {
      await expectApiError(() => a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Plain', 1, 9, 1, { [prop]: value }) }), 400);
      await expectApiError(() => a.cal.events.insert({
        calendarId: 'primary', requestBody: timed('Plain', 1, 9, 1, { eventType: 'default', [prop]: value }),
      }), 400);
    });
  }
});

test('fromGmail events cannot be created', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Flight', 1, 9, 1, { eventType: 'fromGmail' }) }), 400);
});

test('eventType is immutable', async () => {
  const a = await newAccount();
  const plain = await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Plain', 2, 9) });
  await expectApiError(() => a.cal.events.patch({
    calendarId: 'primary', eventId: plain.data.id,
    requestBody: { eventType: 'outOfOffice', outOfOfficeProperties: { autoDeclineMode: 'declineNone' } },
  }), 400);
  const away = await a.cal.events.insert({ calendarId: 'primary', requestBody: ooo(3) });
  await expectApiError(() => a.cal.events.update({
    calendarId: 'primary', eventId: away.data.id, requestBody: { ...timed('Now default', 3, 8, 8), eventType: 'default' },
  }), 400);
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: plain.data.id });
  assert.equal(got.data.eventType, 'default');
});

test('eventTypes filters events.list', async () => {
  const a = await newAccount();
  const d = (await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Default', 0, 9) })).data;
  const o = (await a.cal.events.insert({ calendarId: 'primary', requestBody: ooo(1) })).data;
  const f = (await a.cal.events.insert({ calendarId: 'primary', requestBody: focus(2) })).data;
  const ids = (items) => items.map((e) => e.id).sort();
  assert.deepEqual(ids((await listAll(a.cal, { calendarId: 'primary' })).items), ids([d, o, f]), 'unset: every type');
  assert.deepEqual(ids((await listAll(a.cal, { calendarId: 'primary', eventTypes: ['outOfOffice'] })).items), [o.id]);
  assert.deepEqual(ids((await listAll(a.cal, { calendarId: 'primary', eventTypes: ['default'] })).items), [d.id]);
  assert.deepEqual(ids((await listAll(a.cal, { calendarId: 'primary', eventTypes: ['default', 'focusTime'] })).items), ids([d, f]));
});

test('outOfOffice and focusTime are timed events with their properties', async (t) => {
  const a = await newAccount();
  const allDay = { start: { date: '2030-01-07' }, end: { date: '2030-01-08' } };
  for (const [type, property] of [['outOfOffice', 'outOfOfficeProperties'], ['focusTime', 'focusTimeProperties']]) {
    await t.test(type, async () => {
      await expectApiError(() => a.cal.events.insert({ calendarId: 'primary', requestBody: { summary: 'Away', eventType: type, [property]: {}, ...allDay } }), 400);
      await expectApiError(() => a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Away', 4, 9, 2, { eventType: type }) }), 400);
      const made = await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Away', 4, 9, 2, { eventType: type, [property]: {} }) });
      assert.equal(made.data.eventType, type);
    });
  }
});
