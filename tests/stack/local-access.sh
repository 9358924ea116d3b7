#!/usr/bin/env bash
# Checks that another local account (nobody) can reach neither CalSync's PostgreSQL and RabbitMQ nor its
# secrets without the passwords, while the roles CalSync uses work with them and hold no more than they need.
#
#   tests/stack/local-access.sh             start PostgreSQL and RabbitMQ as ./run.sh does (./run.sh services,
#                                           state in a temporary folder, free ports), check them, stop them
#   tests/stack/local-access.sh STATE_DIR   check the stack already running from STATE_DIR (say .calsync),
#                                           on the ports the CALSYNC_* variables give, as for ./run.sh
#
# Prints "ok N - ..." / "not ok N - ..." per check, then "# pass N" and "# fail N"; exits non-zero on a failure.
# Needs root (to act as nobody); otherwise it says so and checks nothing.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
unset PGPASSWORD PGUSER PGHOST PGPORT PGDATABASE
export PGPASSFILE=/nonexistent/pgpass PGCONNECT_TIMEOUT=5

if [ "$(id -u)" -ne 0 ]; then
  echo "# skip: acting as another local user needs root"
  echo "# pass 0"; echo "# fail 0"
  exit 0
fi
command -v node >/dev/null || { echo "local-access: node is required" >&2; exit 1; }

own_stack=0
if [ $# -ge 1 ]; then
  state=$(cd "$1" && pwd) || exit 1
else
  own_stack=1
  source "$root/scripts/services.sh"
  holder=$(mktemp -d /tmp/calsync-access.XXXXXX)
  chmod 755 "$holder" # the servers run as their own users and must reach the state folder inside
  state="$holder/state"
  export CALSYNC_STATE_DIR="$state" CALSYNC_POSTGRES_PORT=$(free_port) CALSYNC_RABBITMQ_PORT=$(free_port)
  export CALSYNC_RABBITMQ_CONSOLE_PORT=$(free_port) CALSYNC_RABBITMQ_DIST_PORT=$(free_port)
  stop_stack() { "$root/run.sh" stop >/dev/null 2>&1; rm -rf "$holder"; }
  trap stop_stack EXIT
  if ! "$root/run.sh" services >"$holder/run.log" 2>&1; then
    cat "$holder/run.log" >&2
    echo "not ok 1 - ./run.sh services started PostgreSQL and RabbitMQ"
    echo "# pass 0"; echo "# fail 1"
    exit 1
  fi
fi
pg_port=${CALSYNC_POSTGRES_PORT:-55432}
amqp_port=${CALSYNC_RABBITMQ_PORT:-5672}
console_port=${CALSYNC_RABBITMQ_CONSOLE_PORT:-15672}
dist_port=${CALSYNC_RABBITMQ_DIST_PORT:-25672}
pg_password=$(cat "$state/postgres.password" 2>/dev/null)
broker_password=$(cat "$state/rabbitmq.password" 2>/dev/null)
amqp_probe=$(cat "$here/amqp-login.mjs")
cd /

passed=0; failed=0; n=0
report() { # STATUS(0 = ok) DESCRIPTION [DETAIL]
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then passed=$((passed + 1)); echo "ok $n - $2"
  else failed=$((failed + 1)); echo "not ok $n - $2"; [ -n "${3:-}" ] && sed 's/^/#   /' <<<"$3"; fi
}

# Runs a command as nobody. Secrets travel in the (private) environment, never on a command line.
nobody() { setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups -- "$@"; }
psql_as_nobody() { nobody psql -X -w -At -v ON_ERROR_STOP=1 "$@" 2>&1; }
amqp_login() { AMQP_PORT=$amqp_port AMQP_USER=$1 AMQP_PASSWORD=$2 nobody node --input-type=module -e "$amqp_probe" 2>&1; }
console_status() { # USER PASSWORD PATH
  printf 'user = "%s:%s"\n' "$1" "$2" | nobody curl -s -o /dev/null -w '%{http_code}' -K - "http://127.0.0.1:$console_port$3"
}
console_get() { # USER PASSWORD PATH
  printf 'user = "%s:%s"\n' "$1" "$2" | nobody curl -fs -K - "http://127.0.0.1:$console_port$3"
}

# --- the state folder ---
out=$(nobody ls -A "$state" 2>&1)
[ $? -ne 0 ]; report $? "nobody cannot list the state folder" "$out"
readable=$(find "$state" -mindepth 1 \( -type d -o -type f \) -print0 | nobody bash -c '
  while IFS= read -r -d "" p; do
    if [ -d "$p" ]; then ls "$p" >/dev/null 2>&1 && echo "folder $p"
    else { : < "$p"; } 2>/dev/null && echo "file $p"; fi
  done')
if [ -z "$readable" ]; then report 0 "nobody can open no file or folder under the state folder"
else report 1 "nobody can open no file or folder under the state folder" "$(head -n 10 <<<"$readable")"; fi

socket_dir="$state/postgres"
server_user=$(stat -c %U "$socket_dir/data" 2>/dev/null)
mode=$(stat -c '%a %U' "$socket_dir" 2>/dev/null)
[ "$mode" = "700 $server_user" ]
report $? "the PostgreSQL socket folder is 0700 and owned by the server's user ($server_user)" "mode and owner: $mode"

# --- PostgreSQL ---
for user in postgres calsync; do
  out=$(psql_as_nobody -h "$socket_dir" -p "$pg_port" -U "$user" -d postgres -c 'select 1')
  [ $? -ne 0 ]; report $? "nobody gets no session as $user through the socket without a password" "$out"
  out=$(psql_as_nobody -h 127.0.0.1 -p "$pg_port" -U "$user" -d postgres -c 'select 1')
  [ $? -ne 0 ]; report $? "nobody gets no session as $user on 127.0.0.1 without a password" "$out"
done
# Root can open the socket folder: what stops it is the server asking for a password (trust would let it in).
for user in postgres calsync; do
  out=$(psql -X -w -At -h "$socket_dir" -p "$pg_port" -U "$user" -d calsync -c 'select 1' 2>&1)
  [ $? -ne 0 ]; report $? "the socket asks root (not the server's user) for $user's password" "$out"
done
out=$(PGPASSWORD=$pg_password psql_as_nobody -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c 'select 1')
[ $? -ne 0 ]; report $? "calsync's password does not sign in the superuser" "$out"
out=$(PGPASSWORD=$pg_password psql_as_nobody -h 127.0.0.1 -p "$pg_port" -U calsync -d calsync -c \
  "select rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, (select pg_get_userbyid(datdba) from pg_database where datname = 'calsync')
   from pg_roles where rolname = current_user")
[ "$out" = "f|f|f|f|f|calsync" ]
report $? "calsync signs in with its password, owns database calsync and holds no other power" "$out"
out=$(PGPASSWORD=$pg_password psql_as_nobody -h 127.0.0.1 -p "$pg_port" -U calsync -d calsync -c 'select count(*) from pg_authid')
[ $? -ne 0 ]; report $? "calsync cannot read the password hashes (pg_authid)" "$out"
out=$(PGPASSWORD=$pg_password psql_as_nobody -h 127.0.0.1 -p "$pg_port" -U calsync -d postgres -c 'select 1')
[ $? -ne 0 ]; report $? "calsync cannot connect to the postgres database" "$out"

# --- RabbitMQ ---
status=$(console_status guest guest /api/whoami)
[ "$status" = 401 ]; report $? "the RabbitMQ console refuses guest:guest (HTTP 401)" "HTTP $status"
out=$(amqp_login guest guest)
[ $? -eq 1 ]; report $? "AMQP refuses guest:guest" "$out"
out=$(amqp_login calsync "not-$broker_password")
[ $? -eq 1 ]; report $? "AMQP refuses calsync with a wrong password" "$out"
status=$(console_status calsync "not-$broker_password" /api/whoami)
[ "$status" = 401 ]; report $? "the RabbitMQ console refuses calsync with a wrong password" "HTTP $status"
out=$(amqp_login calsync "$broker_password")
[ $? -eq 0 ]; report $? "AMQP accepts calsync with the password in rabbitmq.password" "$out"
whoami=$(console_get calsync "$broker_password" /api/whoami)
users=$(console_get calsync "$broker_password" /api/users)
node -e 'const w = JSON.parse(process.argv[1]), u = JSON.parse(process.argv[2]);
  const tags = Array.isArray(w.tags) ? w.tags : String(w.tags).split(",");
  process.exit(w.name === "calsync" && tags.includes("administrator") && !u.some(x => x.name === "guest") ? 0 : 1)' \
  "${whoami:-null}" "${users:-[]}" 2>/dev/null
report $? "the console lets calsync in as administrator and user guest does not exist" "whoami: $whoami
users: $(node -e 'console.log(JSON.parse(process.argv[1]).map(u => u.name).join(" "))' "${users:-[]}" 2>/dev/null)"

# --- listeners ---
open=""
for port in "$pg_port" "$amqp_port" "$console_port" "$dist_port" $((dist_port + 1)); do
  open+=$(ss -ltnH "sport = :$port" | awk '{print $4}' | grep -v -e '^127\.0\.0\.1:' -e '^\[::1\]:')
done
[ -z "$open" ]; report $? "PostgreSQL, AMQP, the console, Erlang distribution and epmd listen on loopback only" "$open"

echo "# pass $passed"
echo "# fail $failed"
[ "$failed" -eq 0 ]
