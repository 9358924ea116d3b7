-- Personal access tokens may expire; null: never (the default). An expired token authenticates nobody.
alter table personal_access_tokens add column expires_at timestamptz;
