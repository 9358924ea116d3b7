-- Signing in: the Google identity a person signs in with, browser sessions, personal access tokens and
-- OAuth logins in flight. Session and token secrets and OAuth states are stored only as SHA-256 hashes (they are
-- long random strings, so a fast hash is enough): a leaked table gives no session or token. A login's PKCE code
-- verifier is kept as it is, for the few minutes until Google's answer, because the token exchange sends it.

-- The Google account (OpenID subject) that created the user, the only one that signs in as it: accounts the
-- user connected later do not (someone else may use them too).
alter table users add column google_subject text;
create unique index users_google_subject on users (google_subject) where google_subject is not null;

create table sessions (
    token_hash  bytea primary key,
    user_id     uuid not null references users (id) on delete cascade,
    created_at  timestamptz not null,
    expires_at  timestamptz not null
);
create index sessions_user on sessions (user_id);

create table personal_access_tokens (
    id            uuid primary key,
    user_id       uuid not null references users (id) on delete cascade,
    name          text not null,
    token_hash    bytea not null unique,
    -- The first characters of the secret, so a person can tell their tokens apart.
    prefix        text not null,
    created_at    timestamptz not null,
    last_used_at  timestamptz
);
create index personal_access_tokens_user on personal_access_tokens (user_id, created_at);

-- An authorization request sent to Google and not yet answered: the callback looks it up by its state (hashed)
-- and deletes it in the same statement, so a state works once.
create table oauth_logins (
    state_hash     bytea primary key,
    purpose        text not null check (purpose in ('sign_in', 'connect')),
    -- Who is connecting another account (purpose 'connect').
    user_id        uuid references users (id) on delete cascade,
    code_verifier  text not null,
    redirect_uri   text not null,
    return_to      text not null,
    created_at     timestamptz not null,
    expires_at     timestamptz not null,
    check ((purpose = 'connect') = (user_id is not null))
);
