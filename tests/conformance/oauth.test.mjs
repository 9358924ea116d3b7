// OAuth 2.0 web-server flow with PKCE through google-auth-library's OAuth2Client
// (https://developers.google.com/identity/protocols/oauth2/web-server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  BASE, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, OAUTH_ENDPOINTS, SCOPE_CALENDAR, admin, calendarClient,
  newOAuthClient, rejects, uniqueEmail, decodeJwtPayload,
} from './lib.mjs';

async function newUser() {
  const email = uniqueEmail('oauth');
  await admin('POST', '/emulator/accounts', { email, name: 'Olga Auth' });
  return email;
}

/** Follows the authorization URL once (no browser) and returns the redirect it answers with. */
async function authorize(url) {
  const res = await fetch(url, { redirect: 'manual' });
  const location = res.headers.get('location');
  return { status: res.status, location: location ? new URL(location, url) : null, res };
}

/** Runs generateAuthUrl (PKCE S256) + the login_hint redirect; returns the code and verifier. */
async function signIn(client, email, { scope = [SCOPE_CALENDAR], state = randomUUID() } = {}) {
  const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
  const url = client.generateAuthUrl({
    access_type: 'offline',
    prompt: 'consent',
    scope,
    state,
    login_hint: email,
    code_challenge_method: 'S256',
    code_challenge: codeChallenge,
  });
  const { status, location } = await authorize(url);
  assert.ok([302, 303].includes(status), `authorization endpoint redirects at once for a login_hint account (got ${status})`);
  assert.ok(location, 'Location header present');
  return { code: location.searchParams.get('code'), state, returnedState: location.searchParams.get('state'), location, codeVerifier };
}

test('generateAuthUrl targets the emulator authorization endpoint with Google parameters', async () => {
  const client = newOAuthClient();
  const { codeChallenge } = await client.generateCodeVerifierAsync();
  const url = new URL(client.generateAuthUrl({
    access_type: 'offline', scope: [SCOPE_CALENDAR], state: 's1', code_challenge_method: 'S256', code_challenge: codeChallenge,
  }));
  assert.equal(`${url.origin}${url.pathname}`, OAUTH_ENDPOINTS.oauth2AuthBaseUrl);
  assert.equal(url.searchParams.get('response_type'), 'code');
  assert.equal(url.searchParams.get('client_id'), CLIENT_ID);
  assert.equal(url.searchParams.get('redirect_uri'), REDIRECT_URI);
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
});

test('authorization with login_hint redirects to the redirect URI with code, state and scope', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { code, state, returnedState, location } = await signIn(client, email);
  assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI, 'redirects to the registered redirect URI');
  assert.ok(code && code.length > 0, 'code present');
  assert.equal(returnedState, state, 'state echoed unchanged');
  assert.ok((location.searchParams.get('scope') ?? '').split(' ').includes(SCOPE_CALENDAR), 'granted scope echoed');
});

test('authorization with an unregistered redirect_uri does not redirect there', async () => {
  const email = await newUser();
  const client = newOAuthClient({ redirectUri: 'http://127.0.0.1:9/evil' });
  const url = client.generateAuthUrl({ scope: [SCOPE_CALENDAR], state: 'x', login_hint: email });
  const { status, location } = await authorize(url);
  assert.equal(status, 400, 'Google answers 400 redirect_uri_mismatch on its own page');
  assert.ok(!location || !location.href.startsWith('http://127.0.0.1:9/'), 'never redirects to an unregistered URI');
});

test('getToken with code_verifier returns Google token fields and the token calls the API', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { code, codeVerifier } = await signIn(client, email);
  const { tokens, res } = await client.getToken({ code, codeVerifier });
  assert.equal(res.status, 200);
  assert.ok(tokens.access_token, 'access_token');
  assert.ok(tokens.refresh_token, 'refresh_token on first exchange with access_type=offline');
  assert.equal(tokens.token_type, 'Bearer');
  assert.ok(res.data.expiry_date > Date.now() + 360_000, 'expires_in well above 360 s (Google: 3599)');
  assert.ok(tokens.scope.split(' ').includes(SCOPE_CALENDAR), 'scope lists the granted scope');
  client.setCredentials(tokens);
  const list = await calendarClient(client).calendarList.list();
  const primary = list.data.items.find((c) => c.primary);
  assert.equal(primary?.id, email, 'the token belongs to the signed-in account');
});

test('a code exchanged with the wrong code_verifier fails invalid_grant', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { code } = await signIn(client, email);
  const { codeVerifier: other } = await client.generateCodeVerifierAsync();
  const err = await rejects(() => client.getToken({ code, codeVerifier: other }));
  assert.equal(err.response.status, 400);
  assert.equal(err.response.data.error, 'invalid_grant');
  assert.equal(typeof err.response.data.error_description, 'string');
});

test('a code can be exchanged only once', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { code, codeVerifier } = await signIn(client, email);
  await client.getToken({ code, codeVerifier });
  const err = await rejects(() => client.getToken({ code, codeVerifier }));
  assert.equal(err.response.status, 400);
  assert.equal(err.response.data.error, 'invalid_grant');
});

test('the token endpoint rejects a wrong client secret with invalid_client', async () => {
  const email = await newUser();
  const good = newOAuthClient();
  const { code, codeVerifier } = await signIn(good, email);
  const bad = newOAuthClient({ clientSecret: 'not-the-secret' });
  const err = await rejects(() => bad.getToken({ code, codeVerifier }));
  assert.ok([400, 401].includes(err.response.status), `400 or 401, got ${err.response.status}`);
  assert.equal(err.response.data.error, 'invalid_client');
});

test('the token endpoint rejects an unknown grant_type with unsupported_grant_type', async () => {
  const res = await fetch(OAUTH_ENDPOINTS.oauth2TokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
  });
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(body.error, 'unsupported_grant_type');
});

test('refreshAccessToken gets a new working access token from the refresh token', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { code, codeVerifier } = await signIn(client, email);
  const { tokens } = await client.getToken({ code, codeVerifier });
  client.setCredentials(tokens);
  const { credentials, res } = await client.refreshAccessToken();
  assert.equal(res.status, 200);
  assert.ok(credentials.access_token, 'new access_token');
  assert.equal(res.data.token_type, 'Bearer');
  assert.ok(credentials.expiry_date > Date.now() + 360_000);
  assert.ok(res.data.scope.split(' ').includes(SCOPE_CALENDAR), 'a refresh keeps the granted scope');
  const cal = calendarClient(client);
  const got = await cal.calendars.get({ calendarId: 'primary' });
  assert.equal(got.data.id, email);
});

test('the client refreshes an expired access token by itself before calling the API', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { code, codeVerifier } = await signIn(client, email);
  const { tokens } = await client.getToken({ code, codeVerifier });
  let refreshed = null;
  client.on('tokens', (t) => { refreshed = t; });
  client.setCredentials({ refresh_token: tokens.refresh_token, access_token: 'stale', expiry_date: Date.now() - 1000 });
  const got = await calendarClient(client).calendars.get({ calendarId: 'primary' });
  assert.equal(got.data.id, email);
  assert.ok(refreshed?.access_token && refreshed.access_token !== 'stale', 'a refresh happened at the token endpoint');
});

test('after revoking the refresh token, refreshing fails with invalid_grant', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { code, codeVerifier } = await signIn(client, email);
  const { tokens } = await client.getToken({ code, codeVerifier });
  const revoked = await client.revokeToken(tokens.refresh_token);
  assert.equal(revoked.status, 200);
  client.setCredentials({ refresh_token: tokens.refresh_token });
  const err = await rejects(() => client.refreshAccessToken());
  assert.equal(err.response.status, 400);
  assert.equal(err.response.data.error, 'invalid_grant');
  assert.equal(err.message, 'invalid_grant', 'GaxiosError message is the OAuth error code');
});

test('revoking the refresh token also invalidates its access tokens', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { code, codeVerifier } = await signIn(client, email);
  const { tokens } = await client.getToken({ code, codeVerifier });
  await client.revokeToken(tokens.refresh_token);
  const res = await fetch(`${BASE}/calendar/v3/users/me/calendarList`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.equal(res.status, 401);
});

test('revoking an access token makes it fail with 401', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { code, codeVerifier } = await signIn(client, email);
  const { tokens } = await client.getToken({ code, codeVerifier });
  const revoked = await client.revokeToken(tokens.access_token);
  assert.equal(revoked.status, 200);
  const res = await fetch(`${BASE}/calendar/v3/users/me/calendarList`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  assert.equal(res.status, 401);
});

/** Google's OIDC userinfo endpoint, rooted on the server (https://developers.google.com/identity/openid-connect/openid-connect);
 * discovery wins when offered. */
async function userinfoUrl() {
  try {
    const res = await fetch(`${BASE}/.well-known/openid-configuration`);
    if (res.ok) {
      const doc = await res.json();
      if (doc.userinfo_endpoint) return doc.userinfo_endpoint;
    }
  } catch { /* fall through */ }
  return `${BASE}/v1/userinfo`;
}

test('userinfo returns the signed-in account (openid email profile)', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { code, codeVerifier } = await signIn(client, email, { scope: ['openid', 'email', 'profile', SCOPE_CALENDAR] });
  const { tokens } = await client.getToken({ code, codeVerifier });
  client.setCredentials(tokens);
  const res = await client.request({ url: await userinfoUrl(), retry: false });
  assert.equal(res.status, 200);
  assert.equal(res.data.email, email);
  assert.ok(res.data.sub, 'sub');
  assert.equal(res.data.email_verified, true);
  assert.equal(res.data.name, 'Olga Auth');
});

test('with the openid scope the token response carries an id_token for this client and user', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { code, codeVerifier } = await signIn(client, email, { scope: ['openid', 'email', SCOPE_CALENDAR] });
  const { tokens } = await client.getToken({ code, codeVerifier });
  assert.ok(tokens.id_token, 'id_token present');
  const claims = decodeJwtPayload(tokens.id_token);
  assert.ok(['https://accounts.google.com', 'accounts.google.com'].includes(claims.iss), `iss ${claims.iss}`);
  assert.equal(claims.aud, CLIENT_ID);
  assert.equal(claims.email, email);
  assert.ok(claims.sub, 'sub');
  assert.ok(claims.exp > claims.iat, 'exp after iat');
  const header = JSON.parse(Buffer.from(tokens.id_token.split('.')[0], 'base64url').toString());
  assert.equal(header.alg, 'RS256');
  client.setCredentials(tokens);
  const info = await client.request({ url: await userinfoUrl(), retry: false });
  assert.equal(info.data.sub, claims.sub, 'id_token sub equals userinfo sub');
});

test('without the openid scope there is no id_token', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { code, codeVerifier } = await signIn(client, email);
  const { tokens } = await client.getToken({ code, codeVerifier });
  assert.equal(tokens.id_token, undefined);
});

test('access_type=online gives no refresh token', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
  const url = client.generateAuthUrl({
    access_type: 'online', scope: [SCOPE_CALENDAR], state: 'on', login_hint: email, code_challenge_method: 'S256', code_challenge: codeChallenge,
  });
  const { location } = await authorize(url);
  const { tokens } = await client.getToken({ code: location.searchParams.get('code'), codeVerifier });
  assert.ok(tokens.access_token);
  assert.equal(tokens.refresh_token, undefined);
});

test('PKCE with code_challenge_method=plain', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { codeVerifier } = await client.generateCodeVerifierAsync();
  const url = client.generateAuthUrl({
    access_type: 'offline', scope: [SCOPE_CALENDAR], state: 'p', login_hint: email, code_challenge_method: 'plain', code_challenge: codeVerifier,
  });
  const { location } = await authorize(url);
  const { tokens } = await client.getToken({ code: location.searchParams.get('code'), codeVerifier });
  assert.ok(tokens.access_token);
});

test('a code exchanged with another redirect_uri fails', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { code, codeVerifier } = await signIn(client, email);
  const err = await rejects(() => client.getToken({ code, codeVerifier, redirect_uri: 'http://localhost:8033/auth/callback' }));
  assert.equal(err.response.status, 400);
  assert.ok(['invalid_grant', 'redirect_uri_mismatch'].includes(err.response.data.error), err.response.data.error);
});

test('an unknown login_hint gets the account chooser page, not a code', async () => {
  const client = newOAuthClient();
  const url = client.generateAuthUrl({ scope: [SCOPE_CALENDAR], state: 'u', login_hint: uniqueEmail('nobody') });
  const { status, location, res } = await authorize(url);
  assert.equal(status, 200);
  assert.equal(location, null);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
});

test('getTokenInfo reports the audience and scopes of an access token', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { code, codeVerifier } = await signIn(client, email, { scope: ['openid', 'email', SCOPE_CALENDAR] });
  const { tokens } = await client.getToken({ code, codeVerifier });
  const info = await client.getTokenInfo(tokens.access_token);
  assert.equal(info.aud, CLIENT_ID);
  assert.ok(info.scopes.includes(SCOPE_CALENDAR));
  assert.equal(info.email, email);
  assert.ok(info.expiry_date > Date.now());
});

test('verifyIdToken accepts the id_token with the server\'s published keys', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { code, codeVerifier } = await signIn(client, email, { scope: ['openid', 'email', SCOPE_CALENDAR] });
  const { tokens } = await client.getToken({ code, codeVerifier });
  const ticket = await client.verifyIdToken({ idToken: tokens.id_token, audience: CLIENT_ID });
  assert.equal(ticket.getPayload().email, email);
  const tampered = `${tokens.id_token.slice(0, -4)}AAAA`;
  await assert.rejects(() => client.verifyIdToken({ idToken: tampered, audience: CLIENT_ID }));
});

test('userinfo without a token fails 401', async () => {
  const res = await fetch(await userinfoUrl());
  assert.equal(res.status, 401);
});

test('client credentials may be sent with HTTP Basic (ClientSecretBasic)', async () => {
  const email = await newUser();
  const client = newOAuthClient({ clientAuthentication: 'ClientSecretBasic' });
  const { code, codeVerifier } = await signIn(client, email);
  const { tokens } = await client.getToken({ code, codeVerifier });
  assert.ok(tokens.access_token);
});

test('on 401 the client refreshes once and retries the call', async () => {
  const email = await newUser();
  const client = newOAuthClient();
  const { code, codeVerifier } = await signIn(client, email);
  const { tokens } = await client.getToken({ code, codeVerifier });
  // No expiry_date: google-auth-library cannot know the token is bad until the API answers 401.
  client.setCredentials({ access_token: 'ya29.rejected', refresh_token: tokens.refresh_token });
  const got = await calendarClient(client).calendars.get({ calendarId: 'primary' });
  assert.equal(got.data.id, email);
  assert.notEqual(client.credentials.access_token, 'ya29.rejected');
});

test('token endpoint errors: missing code, malformed code, unknown client', async () => {
  const post = async (body) => {
    const res = await fetch(OAUTH_ENDPOINTS.oauth2TokenUrl, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const base = { grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: REDIRECT_URI };
  const missing = await post(base);
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error, 'invalid_request');
  const malformed = await post({ ...base, code: 'not-a-code' });
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body.error, 'invalid_grant');
  const unknown = await post({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'no-such-client', client_secret: 'x' });
  assert.ok([400, 401].includes(unknown.status));
  assert.equal(unknown.body.error, 'invalid_client');
});
