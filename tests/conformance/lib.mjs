// Shared helpers for the conformance suite: where the server is, how to make a fresh account,
// and how to reach it with Google's official Node client (googleapis 188.0.0) or with raw fetch.
import { google } from 'googleapis';
import { randomUUID, randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';

export const BASE = (process.env.EMULATOR_URL ?? 'http://127.0.0.1:8044').replace(/\/+$/, '');
/** googleapis needs the trailing slash; a path prefix would be dropped. */
export const ROOT_URL = `${BASE}/`;
export const CLIENT_ID = process.env.EMULATOR_CLIENT_ID ?? 'calsync-dev';
export const CLIENT_SECRET = process.env.EMULATOR_CLIENT_SECRET ?? 'calsync-dev-secret';
export const REDIRECT_URI = process.env.EMULATOR_REDIRECT_URI ?? 'http://127.0.0.1:8033/auth/callback';

/** Google's OAuth paths, re-rooted on the server under test (https://developers.google.com/identity/protocols/oauth2/web-server). */
export const OAUTH_ENDPOINTS = {
  oauth2AuthBaseUrl: `${BASE}/o/oauth2/v2/auth`,
  oauth2TokenUrl: `${BASE}/token`,
  oauth2RevokeUrl: `${BASE}/revoke`,
  tokenInfoUrl: `${BASE}/tokeninfo`,
  oauth2FederatedSignonPemCertsUrl: `${BASE}/oauth2/v1/certs`,
  oauth2FederatedSignonJwkCertsUrl: `${BASE}/oauth2/v3/certs`,
};

export const SCOPE_CALENDAR = 'https://www.googleapis.com/auth/calendar';
export const SCOPE_CALENDAR_READONLY = 'https://www.googleapis.com/auth/calendar.readonly';

export function uniqueEmail(prefix = 'user') {
  return `${prefix}-${randomUUID().slice(0, 12)}@conformance.example.com`;
}

/** A client-chosen event id: base32hex (a-v, 0-9), 5..1024 chars (https://developers.google.com/workspace/calendar/api/v3/reference/events/insert). */
export function eventId() {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  return [...randomBytes(26)].map((b) => alphabet[b % 32]).join('');
}

// ---------------------------------------------------------------- admin API

export async function admin(method, path, body) {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data = text;
  try { data = text ? JSON.parse(text) : undefined; } catch { /* keep text */ }
  if (!res.ok) throw new Error(`admin ${method} ${path} -> ${res.status}: ${text}`);
  return data;
}

export function newOAuthClient(extra = {}) {
  return new google.auth.OAuth2({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    endpoints: OAUTH_ENDPOINTS,
    ...extra,
  });
}

/**
 * A Calendar v3 client from googleapis pointed at the server under test. Retries are off so a
 * failing call fails at once and never hides a transient server error.
 */
export function calendarClient(auth, options = {}) {
  return google.calendar({ version: 'v3', auth, rootUrl: ROOT_URL, retry: false, ...options });
}

/**
 * Creates a fresh account (primary calendar included), gets tokens for it through the admin API and
 * returns everything a test needs. `secondary` names secondary calendars to create.
 */
export async function newAccount({ name = 'Conformance User', prefix = 'user', secondary = [] } = {}) {
  const email = uniqueEmail(prefix);
  await admin('POST', '/emulator/accounts', { email, name });
  const calendars = [];
  for (const summary of secondary) {
    calendars.push(await admin('POST', `/emulator/accounts/${encodeURIComponent(email)}/calendars`,
      { summary, timeZone: 'Europe/Berlin' }));
  }
  const tokens = await admin('POST', `/emulator/accounts/${encodeURIComponent(email)}/token`);
  assert.ok(tokens.access_token, 'admin token endpoint returns access_token');
  const auth = newOAuthClient();
  auth.setCredentials({
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    // A known expiry keeps google-auth-library from refreshing-and-retrying on 401/403.
    expiry_date: Date.now() + (tokens.expires_in ?? 3599) * 1000,
  });
  return { email, name, tokens, auth, calendars, cal: calendarClient(auth) };
}

// ---------------------------------------------------------------- raw HTTP

/** A raw call to the Calendar API (path relative to /calendar/v3/), for wire-level checks. */
export async function raw(account, method, path, { body, headers = {}, token } = {}) {
  const h = { ...headers };
  const bearer = token === undefined ? account?.tokens.access_token : token;
  if (bearer) h.authorization = `Bearer ${bearer}`;
  let payload = body;
  if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) {
    payload = JSON.stringify(body);
    h['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${BASE}/calendar/v3/${path}`, { method, headers: h, body: payload });
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

// ---------------------------------------------------------------- assertions

/** Runs `fn`, expects a GaxiosError and returns it. */
export async function rejects(fn) {
  try {
    const res = await fn();
    assert.fail(`expected an error response, got HTTP ${res?.status}: ${JSON.stringify(res?.data)}`);
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err;
    if (!err.response) throw err;
    return err;
  }
  return undefined;
}

/**
 * Asserts Google's error body (https://developers.google.com/workspace/calendar/api/guides/errors): {error:{errors:[{domain,reason,message,...}],code,message}}.
 * `expected` may give status, reason, domain, message (of errors[0]), location, locationType.
 */
export function assertGoogleError(body, status, expected = {}) {
  assert.ok(body && typeof body === 'object', `error body is JSON, got ${JSON.stringify(body)}`);
  const e = body.error;
  assert.ok(e && typeof e === 'object', `body has "error": ${JSON.stringify(body)}`);
  assert.equal(e.code, status, 'error.code equals the HTTP status');
  assert.equal(typeof e.message, 'string', 'error.message is a string');
  assert.ok(Array.isArray(e.errors) && e.errors.length >= 1, `error.errors is a non-empty array: ${JSON.stringify(body)}`);
  for (const item of e.errors) {
    assert.equal(typeof item.domain, 'string', 'errors[].domain');
    assert.equal(typeof item.reason, 'string', 'errors[].reason');
    assert.equal(typeof item.message, 'string', 'errors[].message');
    for (const key of Object.keys(item)) {
      assert.ok(['domain', 'reason', 'message', 'locationType', 'location', 'extendedHelp', 'sendReport'].includes(key),
        `unexpected key errors[].${key}`);
    }
  }
  const first = e.errors[0];
  for (const key of ['reason', 'domain', 'message', 'location', 'locationType']) {
    if (expected[key] !== undefined) {
      if (Array.isArray(expected[key])) assert.ok(expected[key].includes(first[key]), `errors[0].${key}=${first[key]} in ${expected[key]}`);
      else assert.equal(first[key], expected[key], `errors[0].${key}`);
    }
  }
  if (expected.topMessage !== undefined) assert.equal(e.message, expected.topMessage, 'error.message');
  return first;
}

/** Expects the googleapis call to fail with `status` and Google's error body; returns the GaxiosError. */
export async function expectApiError(fn, status, expected = {}) {
  const err = await rejects(fn);
  assert.equal(err.status ?? err.response?.status, status,
    `HTTP status (body ${JSON.stringify(err.response?.data)})`);
  assert.equal(Number(err.code), status, 'GaxiosError.code is the HTTP status');
  assertGoogleError(err.response.data, status, expected);
  return err;
}

// ---------------------------------------------------------------- event data

/** RFC3339 UTC instant on a fixed future date (2030-01-07 is a Monday), never "now". */
export function utc(day, hour, minute = 0) {
  return new Date(Date.UTC(2030, 0, 7 + day, hour, minute)).toISOString().replace('.000Z', 'Z');
}

export function timed(summary, day, hour, hours = 1, extra = {}) {
  return {
    summary,
    start: { dateTime: utc(day, hour) },
    end: { dateTime: utc(day, hour + hours) },
    ...extra,
  };
}

export function ms(rfc3339) {
  assert.match(String(rfc3339), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/, `RFC3339 with an offset: ${rfc3339}`);
  const t = Date.parse(rfc3339);
  assert.ok(!Number.isNaN(t), `valid RFC3339: ${rfc3339}`);
  return t;
}

/** Lists every page of events.list and returns {items, pages}. */
export async function listAll(cal, params) {
  const pages = [];
  let pageToken;
  do {
    const res = await cal.events.list({ ...params, pageToken });
    pages.push(res.data);
    pageToken = res.data.nextPageToken;
    assert.ok(pages.length < 200, 'paging terminates');
  } while (pageToken);
  return { items: pages.flatMap((p) => p.items ?? []), pages };
}

export function decodeJwtPayload(jwt) {
  const parts = jwt.split('.');
  assert.equal(parts.length, 3, 'JWT has three parts');
  return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
}

export { google };
