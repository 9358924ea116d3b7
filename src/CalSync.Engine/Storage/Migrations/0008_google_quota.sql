-- Google's quotas (calls per user and per project in any sliding minute) are shared by every CalSync process, so
-- their budget lives here. Processes lease permits in small blocks (google_quota_lease) and use them within a short
-- lifetime; a lease counts against the budget for the window plus that lifetime and a margin, so calls made from
-- leased permits never exceed the budget in any window Google measures. Times come from the database clock, so
-- the processes' clocks do not matter; p_now exists for tests that replay a scenario at chosen instants.

-- One row per Google account: its pace, lowered when Google refuses calls and recovering slowly (google_quota_refused).
create table google_quota_accounts (
    account_key  text primary key,
    pace         double precision,  -- null: the configured budget
    paced_at     timestamptz,       -- when pace was set; recovery counts from here
    round_trips  bigint not null default 0,
    refused      bigint not null default 0
);

-- The lease log: permits granted (reduced when unused permits come back) and calls Google refused.
create table google_quota_leases (
    id           bigint generated always as identity primary key,
    account_key  text not null,
    leased_at    timestamptz not null,
    permits      integer not null check (permits >= 0),
    refused      integer not null default 0
);
create index google_quota_leases_account on google_quota_leases (account_key, leased_at);
create index google_quota_leases_leased_at on google_quota_leases (leased_at);

-- The budget an account may spend now: its pace grown by 5 % per window since it was set (slow, so a quota lower
-- than configured is probed rarely), never above the configured budget.
create function google_quota_budget(p_pace double precision, p_paced_at timestamptz, p_limit integer, p_window interval, p_now timestamptz)
returns double precision language sql immutable as $$
    select case
        when p_pace is null then p_limit::double precision
        else least(p_limit::double precision,
                   p_pace * power(1.05::double precision, extract(epoch from p_now - p_paced_at) / extract(epoch from p_window)))
    end
$$;

-- How long until permits leased in (now - lookback, now] for the key (null: every account) that age out free
-- p_deficit permits.
create function google_quota_wait(p_account text, p_deficit integer, p_lookback interval, p_now timestamptz)
returns interval language sql stable as $$
    select coalesce(min(leased_at) + p_lookback - p_now, p_lookback)
    from (
        select leased_at, sum(permits) over (order by leased_at, id) as freed
        from google_quota_leases
        where (p_account is null or account_key = p_account) and leased_at > p_now - p_lookback
    ) aged
    where freed >= p_deficit
$$;

-- Grants between p_need and p_want permits for the account (p_need alone once the account's or the project's
-- budget is smaller than p_need and nothing else is in flight), or none and how long to wait. Returns the
-- unused permits of an earlier lease (p_return_id) in the same round trip.
create function google_quota_lease(
    p_account text, p_account_limit integer, p_project_limit integer, p_window interval, p_lookback interval,
    p_need integer, p_want integer, p_return_id bigint, p_return_permits integer, p_now timestamptz default null)
returns table (lease_id bigint, granted integer, wait interval, budget double precision)
language plpgsql as $$
declare
    v_now timestamptz;
    v_account record;
    v_budget double precision;
    v_account_used integer;
    v_project_used integer;
    v_account_free integer;
    v_project_free integer;
    v_account_required integer;
    v_project_required integer;
    v_granted integer;
    v_wait interval := interval '0';
begin
    -- Every lease takes the project's lock: the project budget is the sum over all accounts. Leases are few
    -- (one per block), so one queue is cheap. The account's row is locked too (reports change its pace); the
    -- clock is read once both are held, so a lease is never logged earlier than the leases it was measured against.
    perform pg_advisory_xact_lock(hashtext('calsync.google_quota.project'));
    insert into google_quota_accounts as a (account_key, round_trips) values (p_account, 1)
    on conflict (account_key) do update set round_trips = a.round_trips + 1
    returning a.pace, a.paced_at into v_account;
    v_now := coalesce(p_now, clock_timestamp());

    if p_return_id is not null and p_return_permits > 0 then
        update google_quota_leases set permits = greatest(0, permits - p_return_permits)
        where id = p_return_id and account_key = p_account;
    end if;

    delete from google_quota_leases where leased_at <= v_now - 2 * greatest(p_lookback, p_window);

    v_budget := google_quota_budget(v_account.pace, v_account.paced_at, p_account_limit, p_window, v_now);
    select coalesce(sum(permits), 0) into v_account_used
    from google_quota_leases where account_key = p_account and leased_at > v_now - p_lookback;
    select coalesce(sum(permits), 0) into v_project_used
    from google_quota_leases where leased_at > v_now - p_lookback;

    v_account_free := floor(v_budget)::integer - v_account_used;
    v_project_free := p_project_limit - v_project_used;
    -- A request larger than a whole budget waits for an empty window instead of forever.
    v_account_required := greatest(1, least(p_need, floor(v_budget)::integer));
    v_project_required := greatest(1, least(p_need, p_project_limit));

    if v_account_free >= v_account_required and v_project_free >= v_project_required then
        v_granted := greatest(p_need, least(p_want, v_account_free, v_project_free));
        insert into google_quota_leases (account_key, leased_at, permits) values (p_account, v_now, v_granted)
        returning id into lease_id;
        granted := v_granted;
    else
        if v_account_free < v_account_required then
            v_wait := google_quota_wait(p_account, v_account_required - v_account_free, p_lookback, v_now);
        end if;
        if v_project_free < v_project_required then
            v_wait := greatest(v_wait, google_quota_wait(null, v_project_required - v_project_free, p_lookback, v_now));
        end if;
        granted := 0;
    end if;
    wait := v_wait;
    budget := v_budget;
    return next;
end
$$;

-- Google refused p_refused calls of the account for quota: its real limit is lower than the pace. What Google
-- accepted in the last window (leased minus refused) is the best estimate of that limit, and the pace drops to 90 %
-- of it. A refusal after less than a tenth of the pace was spent says little about the limit (another limit, a
-- glitch): the pace only halves then, so one such refusal cannot stall the account. Unused permits of the caller's
-- lease come back in the same round trip.
create function google_quota_refused(
    p_account text, p_refused integer, p_account_limit integer, p_window interval,
    p_return_id bigint, p_return_permits integer, p_now timestamptz default null)
returns double precision
language plpgsql as $$
declare
    v_now timestamptz;
    v_account record;
    v_accepted integer;
    v_current double precision;
    v_pace double precision;
begin
    insert into google_quota_accounts as a (account_key, round_trips, refused) values (p_account, 1, p_refused)
    on conflict (account_key) do update set round_trips = a.round_trips + 1, refused = a.refused + p_refused
    returning a.pace, a.paced_at into v_account;
    -- The row lock taken above orders this account's reports; the clock is read once it is held.
    v_now := coalesce(p_now, clock_timestamp());

    if p_return_id is not null and p_return_permits > 0 then
        update google_quota_leases set permits = greatest(0, permits - p_return_permits)
        where id = p_return_id and account_key = p_account;
    end if;
    insert into google_quota_leases (account_key, leased_at, permits, refused) values (p_account, v_now, 0, p_refused);

    select coalesce(sum(permits), 0) - coalesce(sum(refused), 0) into v_accepted
    from google_quota_leases where account_key = p_account and leased_at > v_now - p_window;

    v_current := google_quota_budget(v_account.pace, v_account.paced_at, p_account_limit, p_window, v_now);
    v_pace := greatest(1, least(v_current, case when v_accepted * 10 >= v_current then 0.9 * v_accepted else v_current / 2 end));
    update google_quota_accounts set pace = v_pace, paced_at = v_now where account_key = p_account;
    return v_pace;
end
$$;
