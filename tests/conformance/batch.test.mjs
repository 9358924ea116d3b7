// Batch requests over raw multipart/mixed (googleapis has no batch support;
// https://developers.google.com/workspace/calendar/api/guides/batch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, newAccount, admin, timed, eventId, assertGoogleError } from './lib.mjs';

/**
 * Builds a multipart/mixed batch body. parts: [{method, path, headers, body, contentId}].
 * `nl` is the line ending; `requestLine` formats the inner request line.
 */
function batchBody(boundary, parts, { nl = '\r\n', requestLine = (m, p) => `${m} ${p} HTTP/1.1`, contentLength = false } = {}) {
  let out = '';
  for (const p of parts) {
    out += `--${boundary}${nl}Content-Type: application/http${nl}`;
    if (p.contentId) out += `Content-ID: <${p.contentId}>${nl}`;
    out += nl;
    out += `${requestLine(p.method, p.path)}${nl}`;
    const body = p.body === undefined ? undefined : JSON.stringify(p.body);
    for (const [k, v] of Object.entries(p.headers ?? {})) out += `${k}: ${v}${nl}`;
    if (body !== undefined) {
      out += `Content-Type: application/json; charset=utf-8${nl}`;
      if (contentLength) out += `Content-Length:  ${Buffer.byteLength(body)}${nl}`;
      out += `${nl}${body}${nl}`;
    } else {
      out += nl;
    }
  }
  return `${out}--${boundary}--${nl}`;
}

async function sendBatch(token, body, contentType) {
  const res = await fetch(`${BASE}/batch/calendar/v3`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body,
  });
  const text = await res.text();
  return { res, text, parts: res.ok ? parseBatchResponse(res.headers.get('content-type'), text) : [] };
}

/** Parses a multipart/mixed batch response into [{contentId, status, headers, json}]. */
function parseBatchResponse(contentType, text) {
  const m = /boundary=("?)([^";]+)\1/.exec(contentType ?? '');
  assert.ok(m, `response Content-Type has a boundary: ${contentType}`);
  const boundary = m[2];
  const chunks = text.split(`--${boundary}`);
  assert.match(chunks.at(-1), /^--\s*$/, 'body ends with the closing delimiter');
  return chunks.slice(1, -1).map((chunk) => {
    const c = chunk.replace(/^\r?\n/, '');
    const [partHead, rest] = splitOnce(c);
    const partHeaders = headerMap(partHead);
    const [respHead, body] = splitOnce(rest);
    const lines = respHead.split(/\r?\n/);
    const status = /^HTTP\/1\.1 (\d{3})/.exec(lines[0]);
    assert.ok(status, `part starts with an HTTP/1.1 status line: ${JSON.stringify(lines[0])}`);
    const trimmed = body.replace(/\r?\n$/, '');
    let json;
    try { json = trimmed ? JSON.parse(trimmed) : undefined; } catch { json = undefined; }
    return { partHeaders, contentId: partHeaders['content-id'], status: Number(status[1]), headers: headerMap(lines.slice(1).join('\n')), body: trimmed, json };
  });
}

function splitOnce(s) {
  const m = /\r?\n\r?\n/.exec(s);
  if (!m) return [s, ''];
  return [s.slice(0, m.index), s.slice(m.index + m[0].length)];
}

function headerMap(block) {
  const h = {};
  for (const line of block.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) h[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return h;
}

async function statsFor(email) {
  const s = await admin('GET', '/emulator/stats');
  return s.accounts?.[email] ?? { total: 0, byMethod: {} };
}

async function scenario() {
  const a = await newAccount();
  const existing = (await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Existing', 0, 9) })).data;
  const missing = eventId();
  const parts = [
    { contentId: 'item1:conformance@example.com', method: 'POST', path: '/calendar/v3/calendars/primary/events', body: timed('From batch', 1, 9) },
    { contentId: 'item2:conformance@example.com', method: 'GET', path: `/calendar/v3/calendars/primary/events/${existing.id}` },
    { contentId: 'item3:conformance@example.com', method: 'GET', path: `/calendar/v3/calendars/primary/events/${missing}` },
    {
      contentId: 'item4:conformance@example.com', method: 'PATCH', path: `/calendar/v3/calendars/primary/events/${existing.id}`,
      headers: { 'If-Match': '"1"' }, body: { summary: 'stale write' },
    },
  ];
  return { a, existing, missing, parts };
}

function assertScenario(parts, { existing, withContentIds = true }) {
  assert.equal(parts.length, 4, 'one response part per request part');
  const [created, got, notFound, precondition] = parts;
  for (const p of parts) assert.equal(p.partHeaders['content-type'], 'application/http');
  if (withContentIds) {
    assert.deepEqual(parts.map((p) => p.contentId),
      [1, 2, 3, 4].map((i) => `<response-item${i}:conformance@example.com>`), 'Content-ID is response- + the request Content-ID');
  }
  assert.equal(created.status, 200);
  assert.equal(created.json.kind, 'calendar#event');
  assert.equal(created.json.summary, 'From batch');
  assert.equal(got.status, 200);
  assert.equal(got.json.id, existing.id);
  assert.equal(got.headers.etag, got.json.etag, 'a part carries its ETag header');
  assert.match(got.headers['content-type'], /^application\/json/);
  assert.equal(notFound.status, 404);
  assertGoogleError(notFound.json, 404, { reason: 'notFound' });
  assert.equal(precondition.status, 412);
  assertGoogleError(precondition.json, 412, { reason: 'conditionNotMet' });
}

test('a CRLF batch with Content-IDs answers each part in order with response-<id>', async () => {
  const { a, existing, parts } = await scenario();
  const { res, parts: out } = await sendBatch(a.tokens.access_token, batchBody('batch_foobarbaz', parts), 'multipart/mixed; boundary=batch_foobarbaz');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^multipart\/mixed; boundary=[^";\s]+$/, 'unquoted boundary as the last parameter');
  assertScenario(out, { existing });
  const listed = await a.cal.events.list({ calendarId: 'primary' });
  assert.ok(listed.data.items.some((e) => e.summary === 'From batch'), 'the inserted event exists');
  assert.ok(listed.data.items.some((e) => e.summary === 'Existing'), 'the failed PATCH changed nothing');
});

test('an LF-only batch is accepted', async () => {
  const { a, existing, parts } = await scenario();
  const { res, parts: out } = await sendBatch(a.tokens.access_token, batchBody('lf_boundary', parts, { nl: '\n' }), 'multipart/mixed; boundary=lf_boundary');
  assert.equal(res.status, 200);
  assertScenario(out, { existing });
});

test('a .NET-style batch (quoted boundary, absolute URLs, no HTTP version, no Content-ID) is accepted', async () => {
  const { a, existing, parts } = await scenario();
  const noIds = parts.map(({ contentId, ...p }) => p);
  const body = batchBody('6f1e2c1a-8f34-4c77-9d0e-1d2b3c4d5e6f', noIds, {
    nl: '\n', requestLine: (m, p) => `${m} https://www.googleapis.com${p}`, contentLength: true,
  });
  const { res, parts: out } = await sendBatch(a.tokens.access_token, body, 'multipart/mixed; boundary="6f1e2c1a-8f34-4c77-9d0e-1d2b3c4d5e6f"');
  assert.equal(res.status, 200);
  assertScenario(out, { existing, withContentIds: false });
  assert.ok(out.every((p) => p.contentId === undefined), 'no Content-ID when the request had none');
});

test('a part may carry its own Authorization, overriding the outer one', async () => {
  const a = await newAccount();
  const b = await newAccount();
  const parts = [
    { contentId: 'a', method: 'GET', path: '/calendar/v3/calendars/primary' },
    { contentId: 'b', method: 'GET', path: '/calendar/v3/calendars/primary', headers: { Authorization: `Bearer ${b.tokens.access_token}` } },
  ];
  const { parts: out } = await sendBatch(a.tokens.access_token, batchBody('xyz', parts), 'multipart/mixed; boundary=xyz');
  assert.equal(out[0].json.id, a.email);
  assert.equal(out[1].json.id, b.email);
});

test('stats count each batch part as its own call; the batch request itself is not a call', async () => {
  const { a, parts } = await scenario();
  const before = await statsFor(a.email);
  await sendBatch(a.tokens.access_token, batchBody('stats_b', parts), 'multipart/mixed; boundary=stats_b');
  const after = await statsFor(a.email);
  const delta = (m) => (after.byMethod?.[m] ?? 0) - (before.byMethod?.[m] ?? 0);
  assert.equal(after.total - before.total, 4, 'four parts, four calls');
  assert.equal(delta('calendar.events.insert'), 1);
  assert.equal(delta('calendar.events.get'), 2);
  assert.equal(delta('calendar.events.patch'), 1);
  assert.ok(!Object.keys(after.byMethod ?? {}).some((m) => /batch/i.test(m)), 'no batch pseudo-method');
  if (after.httpRequests !== undefined) assert.equal(after.httpRequests - (before.httpRequests ?? 0), 1, 'one HTTP request');
});

test('a batch without a valid token fails 401 as a whole', async () => {
  const { parts } = await scenario();
  const res = await fetch(`${BASE}/batch/calendar/v3`, {
    method: 'POST', headers: { 'content-type': 'multipart/mixed; boundary=b' }, body: batchBody('b', parts.slice(1, 2)),
  });
  if (res.status === 200) {
    const out = parseBatchResponse(res.headers.get('content-type'), await res.text());
    assert.equal(out[0].status, 401, 'or every part answers 401');
  } else {
    assert.equal(res.status, 401);
  }
});

test('each batch part counts against the per-user quota', async () => {
  const { a, parts } = await scenario();
  const previous = await admin('GET', '/emulator/faults');
  await admin('PUT', '/emulator/faults', { quotaPerUserPerMinute: 2 });
  try {
    const { res, parts: out } = await sendBatch(a.tokens.access_token, batchBody('q', parts.slice(1, 2).concat(parts.slice(1, 2), parts.slice(1, 2))), 'multipart/mixed; boundary=q');
    assert.equal(res.status, 200);
    assert.deepEqual(out.slice(0, 2).map((p) => p.status), [200, 200]);
    assert.ok([403, 429].includes(out[2].status), 'the third part exceeds a quota of 2');
    assertGoogleError(out[2].json, out[2].status, { domain: 'usageLimits' });
  } finally {
    await admin('PUT', '/emulator/faults', { quotaPerUserPerMinute: previous.quotaPerUserPerMinute ?? null });
  }
});

test('a Python-client-style batch (MIME part headers, "<uuid + n>" ids, query strings, encoded ids) is accepted', async () => {
  const a = await newAccount();
  await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('Only', 0, 9) });
  const uuid = '0c2a4ec4-4f0f-4e5d-9a0e-6f8c2b1d3e4f';
  const enc = encodeURIComponent(a.email);
  const part = (n, line) => [
    '--===============7330845974216740156==', 'Content-Type: application/http', 'MIME-Version: 1.0',
    'Content-Transfer-Encoding: binary', `Content-ID: <${uuid} + ${n}>`, '',
    line, 'Host: www.googleapis.com', 'content-length: 0', '', '',
  ].join('\r\n');
  const body = part(1, `GET /calendar/v3/calendars/${enc}/events?maxResults=1&alt=json HTTP/1.1`)
    + part(2, 'GET /calendar/v3/users/me/calendarList/primary?alt=json HTTP/1.1')
    + '--===============7330845974216740156==--';
  const { res, parts } = await sendBatch(a.tokens.access_token, body, 'multipart/mixed; boundary="===============7330845974216740156=="');
  assert.equal(res.status, 200);
  assert.deepEqual(parts.map((p) => p.contentId), [`<response-${uuid} + 1>`, `<response-${uuid} + 2>`]);
  assert.equal(parts[0].status, 200);
  assert.equal(parts[0].json.kind, 'calendar#events');
  assert.equal(parts[0].json.items.length, 1);
  assert.equal(parts[1].status, 200);
  assert.equal(parts[1].json.id, a.email);
});

test('a batch of 50 inserts answers 50 parts in request order', async () => {
  const a = await newAccount();
  const parts = Array.from({ length: 50 }, (_, i) => ({
    contentId: `n${i}`, method: 'POST', path: '/calendar/v3/calendars/primary/events', body: timed(`Batch #${i}`, i % 20, 8 + (i % 10)),
  }));
  const { res, parts: out } = await sendBatch(a.tokens.access_token, batchBody('fifty', parts), 'multipart/mixed; boundary=fifty');
  assert.equal(res.status, 200);
  assert.equal(out.length, 50);
  out.forEach((p, i) => {
    assert.equal(p.contentId, `<response-n${i}>`);
    assert.equal(p.status, 200);
    assert.equal(p.json.summary, `Batch #${i}`);
  });
  const listed = await a.cal.events.list({ calendarId: 'primary' });
  assert.equal(listed.data.items.length, 50);
});
