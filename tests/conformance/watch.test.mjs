// Push notifications: events.watch, notification headers, channels.stop
// (https://developers.google.com/workspace/calendar/api/guides/push).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { newAccount, timed } from './lib.mjs';

const WAIT_MS = 20_000;

/** A loopback webhook receiver; `next(pred)` resolves with the first matching notification. */
async function listener(t) {
  const received = [];
  const waiters = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const n = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() };
      received.push(n);
      res.writeHead(200).end();
      for (const w of [...waiters]) {
        if (w.pred(n)) { waiters.splice(waiters.indexOf(w), 1); clearTimeout(w.timer); w.resolve(n); }
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }));
  const address = `http://127.0.0.1:${server.address().port}/hook`;
  const next = (pred, what) => {
    const hit = received.find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve };
      w.timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(w), 1);
        reject(new Error(`no notification (${what}) within ${WAIT_MS} ms; got ${JSON.stringify(received.map((r) => r.headers['x-goog-resource-state']))}`));
      }, WAIT_MS);
      waiters.push(w);
    });
  };
  return { address, received, next };
}

const state = (channelId, s) => (n) => n.headers['x-goog-channel-id'] === channelId && n.headers['x-goog-resource-state'] === s;

async function watch(a, address, extra = {}) {
  const id = randomUUID();
  const res = await a.cal.events.watch({
    calendarId: 'primary',
    requestBody: { id, type: 'web_hook', address, token: `tok-${id}`, ...extra },
  });
  return { id, res };
}

test('events.watch returns an api#channel with a resource id and the default 7-day expiration', async (t) => {
  const a = await newAccount();
  const l = await listener(t);
  const before = Date.now();
  const { id, res } = await watch(a, l.address);
  assert.equal(res.status, 200);
  const ch = res.data;
  assert.equal(ch.kind, 'api#channel');
  assert.equal(ch.id, id);
  assert.equal(ch.token, `tok-${id}`);
  assert.equal(typeof ch.resourceId, 'string');
  assert.ok(ch.resourceId.length > 0);
  assert.equal(typeof ch.resourceUri, 'string');
  assert.match(ch.resourceUri, /\/calendar\/v3\/calendars\/[^/]+\/events/);
  assert.equal(typeof ch.expiration, 'string', 'expiration is an int64 serialised as a string');
  const exp = Number(ch.expiration);
  const week = 604_800_000;
  assert.ok(exp >= before + week - 3_600_000 && exp <= Date.now() + week + 3_600_000, `expiration ~ now + 604800 s (got ${ch.expiration})`);
});

test('a new channel gets a sync message, then exists for each change, with Google\'s headers', async (t) => {
  const a = await newAccount();
  const l = await listener(t);
  const { id, res } = await watch(a, l.address);
  const sync = await l.next(state(id, 'sync'), 'sync');
  assert.equal(sync.method, 'POST');
  assert.equal(sync.url, '/hook');
  assert.equal(sync.headers['x-goog-channel-id'], id);
  assert.equal(sync.headers['x-goog-channel-token'], `tok-${id}`);
  assert.equal(sync.headers['x-goog-resource-id'], res.data.resourceId);
  assert.equal(sync.headers['x-goog-resource-uri'], res.data.resourceUri);
  assert.equal(sync.headers['x-goog-message-number'], '1', 'sync is message number 1');
  const expHeader = sync.headers['x-goog-channel-expiration'];
  if (expHeader !== undefined) {
    assert.match(expHeader, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/, 'RFC 1123 date');
    assert.equal(Math.floor(Date.parse(expHeader) / 1000), Math.floor(Number(res.data.expiration) / 1000), 'same instant as the channel expiration');
  }

  await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('ping', 0, 9) });
  const first = await l.next(state(id, 'exists'), 'exists after insert');
  assert.equal(first.headers['x-goog-channel-token'], `tok-${id}`);
  assert.equal(first.headers['x-goog-resource-id'], res.data.resourceId);
  const n1 = Number(first.headers['x-goog-message-number']);
  assert.ok(Number.isInteger(n1) && n1 > 1, `message number increases after sync (got ${n1})`);

  await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('ping 2', 1, 9) });
  const second = await l.next((n) => state(id, 'exists')(n) && n !== first, 'exists after second insert');
  assert.ok(Number(second.headers['x-goog-message-number']) > n1, 'message numbers keep increasing');
  const sync2 = l.received.filter(state(id, 'sync'));
  assert.equal(sync2.length, 1, 'sync is sent once');
});

test('a channel without a token sends no X-Goog-Channel-Token', async (t) => {
  const a = await newAccount();
  const l = await listener(t);
  const id = randomUUID();
  await a.cal.events.watch({ calendarId: 'primary', requestBody: { id, type: 'web_hook', address: l.address } });
  const sync = await l.next(state(id, 'sync'), 'sync');
  assert.equal(sync.headers['x-goog-channel-token'], undefined);
});

test('changes to another calendar do not notify the channel', async (t) => {
  const a = await newAccount({ secondary: ['Quiet'] });
  const l = await listener(t);
  const { id } = await watch(a, l.address);
  await l.next(state(id, 'sync'), 'sync');
  await a.cal.events.insert({ calendarId: a.calendars[0].id, requestBody: timed('elsewhere', 0, 9) });
  await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('here', 0, 10) });
  await l.next(state(id, 'exists'), 'exists after the primary change');
  assert.equal(l.received.filter(state(id, 'exists')).length, 1, 'only the primary change notified');
});

test('channels.stop ends notifications for that channel', async (t) => {
  const a = await newAccount();
  const l = await listener(t);
  const stopped = await watch(a, l.address);
  const control = await watch(a, l.address);
  await l.next(state(stopped.id, 'sync'), 'sync of the channel to stop');
  await l.next(state(control.id, 'sync'), 'sync of the control channel');

  const stop = await a.cal.channels.stop({ requestBody: { id: stopped.id, resourceId: stopped.res.data.resourceId } });
  assert.ok(stop.status >= 200 && stop.status < 300, `2xx (got ${stop.status})`);
  assert.equal(stop.data, '', 'empty body');

  // Two changes, each awaited on the still-open control channel, before judging the stopped one.
  await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('after stop', 0, 9) });
  const c1 = await l.next(state(control.id, 'exists'), 'control notified of the first change');
  await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('after stop 2', 1, 9) });
  await l.next((n) => state(control.id, 'exists')(n) && n !== c1, 'control notified of the second change');
  assert.equal(l.received.filter((n) => n.headers['x-goog-channel-id'] === stopped.id && n.headers['x-goog-resource-state'] !== 'sync').length, 0,
    'the stopped channel got nothing after stop');
});


test('watching another account\'s calendar fails 404', async (t) => {
  const owner = await newAccount();
  const other = await newAccount();
  const l = await listener(t);
  const err = await other.cal.events.watch({
    calendarId: owner.email, requestBody: { id: randomUUID(), type: 'web_hook', address: l.address },
  }).then((r) => assert.fail(`expected 404, got ${r.status}`), (e) => e);
  assert.equal(err.response?.status, 404);
});

test('deleting an event notifies the channel', async (t) => {
  const a = await newAccount();
  const ev = (await a.cal.events.insert({ calendarId: 'primary', requestBody: timed('to delete', 0, 9) })).data;
  const l = await listener(t);
  const { id } = await watch(a, l.address);
  await l.next(state(id, 'sync'), 'sync');
  await a.cal.events.delete({ calendarId: 'primary', eventId: ev.id });
  const n = await l.next((m) => m.headers['x-goog-channel-id'] === id && m.headers['x-goog-resource-state'] !== 'sync', 'notification after delete');
  assert.ok(['exists', 'not_exists'].includes(n.headers['x-goog-resource-state']));
});

test('params.ttl and expiration set the channel expiration', async (t) => {
  const a = await newAccount();
  const l = await listener(t);
  const before = Date.now();
  const ttl = await a.cal.events.watch({
    calendarId: 'primary', requestBody: { id: randomUUID(), type: 'web_hook', address: l.address, params: { ttl: '3600' } },
  });
  const exp = Number(ttl.data.expiration);
  assert.ok(exp >= before + 3_540_000 && exp <= Date.now() + 3_660_000, `ttl 3600 s -> expiration ~ now + 1 h (got ${ttl.data.expiration})`);
  const wanted = Date.now() + 2 * 3_600_000;
  const explicit = await a.cal.events.watch({
    calendarId: 'primary', requestBody: { id: randomUUID(), type: 'web_hook', address: l.address, expiration: String(wanted) },
  });
  assert.ok(Math.abs(Number(explicit.data.expiration) - wanted) < 1000, `requested expiration honoured (got ${explicit.data.expiration}, wanted ${wanted})`);
});

test('channel ids must be unique and at most 64 characters', async (t) => {
  const a = await newAccount();
  const l = await listener(t);
  const id = randomUUID();
  await a.cal.events.watch({ calendarId: 'primary', requestBody: { id, type: 'web_hook', address: l.address } });
  const dup = await a.cal.events.watch({ calendarId: 'primary', requestBody: { id, type: 'web_hook', address: l.address } }).then((r) => r, (e) => e);
  assert.equal(dup.response?.status, 400, 'a reused channel id is refused');
  const long = await a.cal.events.watch({ calendarId: 'primary', requestBody: { id: 'c'.repeat(65), type: 'web_hook', address: l.address } }).then((r) => r, (e) => e);
  assert.equal(long.response?.status, 400, 'a 65-character id is refused');
  const id64 = `${randomUUID()}${'c'.repeat(64)}`.slice(0, 64); // channel ids are unique per project, also across runs
  const max = await a.cal.events.watch({ calendarId: 'primary', requestBody: { id: id64, type: 'web_hook', address: l.address } });
  assert.equal(max.data.id, id64);
});
