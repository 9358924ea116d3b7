// Wire details other official clients rely on: gzip request bodies and the long-URL method
// override of the .NET client
// (https://developers.google.com/workspace/calendar/api/guides/performance#gzip).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { BASE, newAccount, timed, ms } from './lib.mjs';

async function send(a, method, path, headers, body) {
  const res = await fetch(`${BASE}/calendar/v3/${path}`, {
    method, headers: { authorization: `Bearer ${a.tokens.access_token}`, ...headers }, body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

test('a gzip-compressed JSON insert (Content-Encoding: gzip) is decoded', async () => {
  const a = await newAccount();
  const body = gzipSync(Buffer.from(JSON.stringify(timed('Zipped insert ✓', 0, 9, 1, { description: 'x'.repeat(5000) }))));
  const r = await send(a, 'POST', 'calendars/primary/events',
    { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip' }, body);
  assert.equal(r.status, 200);
  assert.equal(r.json.summary, 'Zipped insert ✓');
  assert.equal(r.json.description.length, 5000);
  const got = await a.cal.events.get({ calendarId: 'primary', eventId: r.json.id });
  assert.equal(got.data.summary, 'Zipped insert ✓');
});

test('gzip-compressed PATCH and PUT bodies are decoded', async () => {
  const a = await newAccount();
  const ins = await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Plain', 1, 9) });
  const headers = { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip' };
  const patched = await send(a, 'PATCH', `calendars/primary/events/${ins.data.id}`, headers,
    gzipSync(Buffer.from(JSON.stringify({ summary: 'Zipped patch' }))));
  assert.equal(patched.status, 200);
  assert.equal(patched.json.summary, 'Zipped patch');
  const put = await send(a, 'PUT', `calendars/primary/events/${ins.data.id}`, headers,
    gzipSync(Buffer.from(JSON.stringify(timed('Zipped update', 1, 10)))));
  assert.equal(put.status, 200);
  assert.equal(put.json.summary, 'Zipped update');
  assert.equal(ms(put.json.start.dateTime), ms('2030-01-08T10:00:00Z'));
});

test('responses honour Accept-Encoding: gzip as the Node client sends it', async () => {
  const a = await newAccount();
  await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Listed', 2, 9) });
  const res = await a.cal.events.list({ calendarId: 'primary' });
  assert.equal(res.status, 200);
  assert.equal(res.data.items[0].summary, 'Listed', 'the client decodes whatever encoding the server chose');
});

test('POST with X-HTTP-Method-Override: GET and a form-encoded query acts as the GET', async () => {
  const a = await newAccount();
  const ev = (await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Long url', 3, 9, 1, { extendedProperties: { private: { k: 'v' } } }) })).data;
  await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Other', 3, 11) });
  const form = new URLSearchParams([['privateExtendedProperty', 'k=v'], ['maxResults', '10'], ['q', 'Long']]);
  const r = await send(a, 'POST', 'calendars/primary/events',
    { 'x-http-method-override': 'GET', 'content-type': 'application/x-www-form-urlencoded' }, form.toString());
  assert.equal(r.status, 200);
  assert.equal(r.json.kind, 'calendar#events');
  assert.deepEqual(r.json.items.map((e) => e.id), [ev.id]);
});
