// Error bodies, authentication, access between accounts, scopes and injected faults
// (https://developers.google.com/workspace/calendar/api/guides/errors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE, SCOPE_CALENDAR_READONLY, newAccount, admin, raw, timed, eventId, expectApiError, assertGoogleError,
  calendarClient, newOAuthClient, uniqueEmail,
} from './lib.mjs';

test('a 404 has Google\'s error body exactly and JSON content type', async () => {
  const a = await newAccount();
  const r = await raw(a, 'GET', `calendars/primary/events/${eventId()}`);
  assert.equal(r.status, 404);
  assert.match(r.headers.get('content-type'), /^application\/json; charset=utf-8$/i);
  assertGoogleError(r.json, 404, { domain: 'global', reason: 'notFound', message: 'Not Found', topMessage: 'Not Found' });
  assert.deepEqual(Object.keys(r.json), ['error']);
  for (const key of Object.keys(r.json.error)) assert.ok(['errors', 'code', 'message', 'status', 'details'].includes(key), `error.${key}`);
});

test('the client surfaces errors as GaxiosError with code, message and the raw body', async () => {
  const a = await newAccount();
  const err = await expectApiError(() => a.cal.events.get({ calendarId: 'primary', eventId: eventId() }), 404);
  assert.equal(err.code, 404);
  assert.equal(err.message, 'Not Found', 'message joins errors[].message');
  assert.equal(err.response.data.error.code, 404);
});

test('a missing token fails 401 authError', async () => {
  const r = await raw(null, 'GET', 'users/me/calendarList', { token: null });
  assert.equal(r.status, 401);
  assertGoogleError(r.json, 401, { domain: 'global', reason: 'authError', message: 'Invalid Credentials', locationType: 'header', location: 'Authorization' });
});

test('an invalid token fails 401 authError, also through the client', async () => {
  const r = await raw(null, 'GET', 'calendars/primary/events', { token: 'ya29.not-a-real-token' });
  assert.equal(r.status, 401);
  assertGoogleError(r.json, 401, { domain: 'global', reason: 'authError', message: 'Invalid Credentials', locationType: 'header', location: 'Authorization' });
  const auth = newOAuthClient();
  auth.setCredentials({ access_token: 'ya29.not-a-real-token' });
  await expectApiError(() => calendarClient(auth).events.list({ calendarId: 'primary' }), 401, { reason: 'authError' });
});

test('another account\'s calendars and events answer 404', async () => {
  const owner = await newAccount({ secondary: ['Private'] });
  const other = await newAccount();
  const ev = (await owner.cal.events.insert({ calendarId: 'primary', requestBody: timed('Secret', 0, 9) })).data;
  const side = owner.calendars[0].id;
  await expectApiError(() => other.cal.calendars.get({ calendarId: side }), 404, { reason: 'notFound' });
  await expectApiError(() => other.cal.calendarList.get({ calendarId: owner.email }), 404, { reason: 'notFound' });
  await expectApiError(() => other.cal.events.list({ calendarId: owner.email }), 404, { reason: 'notFound' });
  await expectApiError(() => other.cal.events.get({ calendarId: owner.email, eventId: ev.id }), 404, { reason: 'notFound' });
  await expectApiError(() => other.cal.events.insert({ calendarId: side, requestBody: timed('Intruder', 0, 9) }), 404, { reason: 'notFound' });
  await expectApiError(() => other.cal.events.delete({ calendarId: owner.email, eventId: ev.id }), 404, { reason: 'notFound' });
  await expectApiError(() => other.cal.events.get({ calendarId: 'primary', eventId: ev.id }), 404, { reason: 'notFound' });
  const still = await owner.cal.events.get({ calendarId: 'primary', eventId: ev.id });
  assert.equal(still.data.status, 'confirmed');
});

/** Signs in through the authorization endpoint with the given scopes and returns a calendar client. */
async function clientWithScopes(scope) {
  const email = uniqueEmail('scope');
  await admin('POST', '/emulator/accounts', { email, name: 'Scoped' });
  const client = newOAuthClient();
  const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
  const url = client.generateAuthUrl({ scope, state: 's', login_hint: email, code_challenge_method: 'S256', code_challenge: codeChallenge });
  const res = await fetch(url, { redirect: 'manual' });
  const code = new URL(res.headers.get('location')).searchParams.get('code');
  const { tokens } = await client.getToken({ code, codeVerifier });
  client.setCredentials(tokens);
  return calendarClient(client);
}

test('a calendar.readonly token can read but writes fail 403 insufficientPermissions', async () => {
  const cal = await clientWithScopes([SCOPE_CALENDAR_READONLY]);
  const listed = await cal.events.list({ calendarId: 'primary' });
  assert.equal(listed.status, 200);
  await expectApiError(() => cal.events.insert({ calendarId: 'primary', requestBody: timed('nope', 0, 9) }), 403,
    { domain: 'global', reason: 'insufficientPermissions', topMessage: 'Request had insufficient authentication scopes.' });
});

test('a calendar.events token cannot list calendars, get calendars or colors (403 insufficientPermissions)', async () => {
  const cal = await clientWithScopes(['https://www.googleapis.com/auth/calendar.events']);
  const ins = await cal.events.insert({ calendarId: 'primary', requestBody: timed('ok', 0, 9) });
  assert.equal(ins.status, 200);
  await expectApiError(() => cal.calendarList.list(), 403, { reason: 'insufficientPermissions' });
  await expectApiError(() => cal.calendars.get({ calendarId: 'primary' }), 403, { reason: 'insufficientPermissions' });
  await expectApiError(() => cal.colors.get(), 403, { reason: 'insufficientPermissions' });
});

/** Applies a fault setting for the duration of `fn`, then restores the previous settings. */
async function withFaults(settings, fn) {
  const previous = await admin('GET', '/emulator/faults');
  await admin('PUT', '/emulator/faults', settings);
  try {
    return await fn();
  } finally {
    // Restore every field touched, also those GET left out (null), so no fault outlives the test.
    const restore = { ...previous };
    for (const key of Object.keys(settings)) if (!(key in restore)) restore[key] = null;
    await admin('PUT', '/emulator/faults', restore);
  }
}

test('faults: errorStatuses [503] at rate 1 fail calls with 503 (client retries disabled)', async () => {
  const a = await newAccount();
  await withFaults({ errorRate: 1.0, errorStatuses: [503] }, async () => {
    const err = await expectApiError(() => a.cal.events.list({ calendarId: 'primary' }), 503, { reason: 'backendError' });
    assert.equal(err.code, 503);
  });
  const ok = await a.cal.events.list({ calendarId: 'primary' });
  assert.equal(ok.status, 200, 'restoring the faults restores service');
});

test('faults: errorStatuses [500] at rate 1 fail with 500 backendError', async () => {
  const a = await newAccount();
  await withFaults({ errorRate: 1.0, errorStatuses: [500] }, async () => {
    await expectApiError(() => a.cal.calendarList.list(), 500, { reason: 'backendError', domain: 'global' });
  });
});

test('faults: the per-user quota answers 403 userRateLimitExceeded or 429 rateLimitExceeded', async () => {
  const a = await newAccount();
  const b = await newAccount();
  await withFaults({ quotaPerUserPerMinute: 3 }, async () => {
    for (let i = 0; i < 3; i += 1) assert.equal((await a.cal.events.list({ calendarId: 'primary' })).status, 200, `call ${i + 1} within quota`);
    const err = await a.cal.events.list({ calendarId: 'primary' }).then(
      (r) => assert.fail(`4th call within a minute should exceed a quota of 3, got ${r.status}`), (e) => e);
    const status = err.response?.status;
    assert.ok([403, 429].includes(status), `403 or 429, got ${status}`);
    if (status === 403) assertGoogleError(err.response.data, 403, { domain: 'usageLimits', reason: 'userRateLimitExceeded', message: 'User Rate Limit Exceeded' });
    else assertGoogleError(err.response.data, 429, { domain: 'usageLimits', reason: 'rateLimitExceeded' });
    const other = await b.cal.events.list({ calendarId: 'primary' });
    assert.equal(other.status, 200, 'the quota is per user');
  });
});

test('faults: errorStatuses [429] and [403] answer rateLimitExceeded (usageLimits)', async () => {
  const a = await newAccount();
  await withFaults({ errorRate: 1.0, errorStatuses: [429] }, async () => {
    await expectApiError(() => a.cal.events.list({ calendarId: 'primary' }), 429, { domain: 'usageLimits', reason: 'rateLimitExceeded' });
  });
  await withFaults({ errorRate: 1.0, errorStatuses: [403] }, async () => {
    await expectApiError(() => a.cal.events.list({ calendarId: 'primary' }), 403,
      { domain: 'usageLimits', reason: 'rateLimitExceeded', message: 'Rate Limit Exceeded' });
  });
});

test('stats count every call per account and method', async () => {
  const a = await newAccount();
  const b = await newAccount();
  const before = (await admin('GET', '/emulator/stats')).accounts?.[a.email] ?? { total: 0, byMethod: {} };
  await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('counted', 0, 9) });
  await a.cal.events.list({ calendarId: 'primary' });
  await a.cal.events.list({ calendarId: 'primary' });
  await a.cal.calendarList.list();
  await b.cal.colors.get();
  const after = (await admin('GET', '/emulator/stats')).accounts[a.email];
  const d = (m) => (after.byMethod[m] ?? 0) - (before.byMethod?.[m] ?? 0);
  assert.equal(after.total - before.total, 4);
  assert.equal(d('calendar.events.insert'), 1);
  assert.equal(d('calendar.events.list'), 2);
  assert.equal(d('calendar.calendarList.list'), 1);
  assert.equal(d('calendar.colors.get'), 0, "another account's calls are not counted here");
});

test('stats/reset clears the counters', async () => {
  const a = await newAccount();
  await a.cal.events.list({ calendarId: 'primary' });
  await admin('POST', '/emulator/stats/reset');
  const after = (await admin('GET', '/emulator/stats')).accounts?.[a.email];
  assert.equal(after?.total ?? 0, 0);
});

test('faults settings round-trip through GET and PUT', async () => {
  const previous = await admin('GET', '/emulator/faults');
  for (const key of ['latencyMs', 'errorRate', 'errorStatuses', 'quotaPerUserPerMinute', 'dropPushRate']) {
    assert.ok(key in previous, `GET /emulator/faults has ${key}`);
  }
  await withFaults({ latencyMs: 1 }, async () => {
    const now = await admin('GET', '/emulator/faults');
    assert.equal(now.latencyMs, 1);
    assert.deepEqual(now.errorStatuses, previous.errorStatuses, 'missing fields keep their value');
  });
  assert.deepEqual(await admin('GET', '/emulator/faults'), previous);
});

test('unknown calendar ids answer 404', async () => {
  const a = await newAccount();
  await expectApiError(() => a.cal.events.list({ calendarId: 'nobody@group.calendar.google.com' }), 404, { reason: 'notFound' });
  await expectApiError(() => a.cal.calendars.get({ calendarId: 'nobody@group.calendar.google.com' }), 404, { reason: 'notFound' });
});

test('unknown API paths answer 404', async () => {
  const a = await newAccount();
  const res = await fetch(`${BASE}/calendar/v3/no/such/thing`, { headers: { authorization: `Bearer ${a.tokens.access_token}` } });
  assert.equal(res.status, 404);
});

test('a malformed JSON body fails 400 with Google\'s error shape (never 500)', async () => {
  const a = await newAccount();
  const broken = await raw(a, 'POST', 'calendars/primary/events', { body: '{"summary": "oops", ', headers: { 'content-type': 'application/json' } });
  assert.equal(broken.status, 400);
  assertGoogleError(broken.json, 400);
  const empty = await raw(a, 'POST', 'calendars/primary/events', { body: '', headers: { 'content-type': 'application/json' } });
  assert.equal(empty.status, 400);
  assertGoogleError(empty.json, 400);
  const wrongType = await raw(a, 'POST', 'calendars/primary/events', { body: { summary: 'x', start: 'tomorrow', end: { dateTime: '2030-01-07T10:00:00Z' } } });
  assert.equal(wrongType.status, 400);
  assertGoogleError(wrongType.json, 400);
});
