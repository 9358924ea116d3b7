#!/usr/bin/env bash
# Starts CalSync on this machine: PostgreSQL and RabbitMQ (data under .calsync/), the Api and workers.
#
#   ./run.sh               start everything in the foreground; Ctrl-C stops everything it started
#   ./run.sh --background  start everything and return once it is all healthy
#   ./run.sh services      start only PostgreSQL and RabbitMQ (in the background) and say how to reach them
#   ./run.sh stop          stop everything a previous ./run.sh started
#
# Sandbox mode: without a Google OAuth client configured (GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET), the
# Google emulator starts on CALSYNC_EMULATOR_PORT (8044) with its demo accounts and everything talks to it.
#
# Ports (all on 127.0.0.1) and sizes come from the environment:
#   CALSYNC_API_PORT (8033)  CALSYNC_WORKERS (2)  CALSYNC_WORKER_PORT (8035: first worker's health port)
#   CALSYNC_POSTGRES_PORT (55432)  CALSYNC_RABBITMQ_PORT (5672)  CALSYNC_RABBITMQ_CONSOLE_PORT (15672)
#   CALSYNC_RABBITMQ_DIST_PORT (25672)   CALSYNC_STATE_DIR (.calsync: data, passwords, logs)
#
# Nothing under the state folder is open to other local accounts; the Api and workers sign in to PostgreSQL
# as the calsync role and to RabbitMQ as the calsync user, with passwords generated into the state folder.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
source scripts/services.sh

state=${CALSYNC_STATE_DIR:-$root/.calsync}
api_port=${CALSYNC_API_PORT:-8033}
workers=${CALSYNC_WORKERS:-2}
worker_port=${CALSYNC_WORKER_PORT:-8035}
pg_port=${CALSYNC_POSTGRES_PORT:-55432}
amqp_port=${CALSYNC_RABBITMQ_PORT:-5672}
console_port=${CALSYNC_RABBITMQ_CONSOLE_PORT:-15672}
dist_port=${CALSYNC_RABBITMQ_DIST_PORT:-25672}
emulator_port=${CALSYNC_EMULATOR_PORT:-8044}
sandbox=1
[ -n "${GOOGLE_CLIENT_ID:-}" ] && [ -n "${GOOGLE_CLIENT_SECRET:-}" ] && sandbox=0

pid_files() { ls "$state"/pids/*.pid 2>/dev/null || true; }

# Stops the processes named by these pid files and waits (up to 30 s) before killing what is left.
stop_processes() { # LABEL PIDFILE...
  local label=$1 pids=() pid f; shift
  for f in "$@"; do
    [ -f "$f" ] || continue
    pid=$(cat "$f"); kill -0 "$pid" 2>/dev/null && pids+=("$pid")
    rm -f "$f"
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  say "Stopping $label"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 60); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && return 0
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}

stop_all() {
  # Workers first so runs in flight finish against a live Api, database and Google; the emulator after
  # them all, since it writes its memory to disk as it stops.
  stop_processes "the workers" "$state"/pids/worker-*.pid
  stop_processes "the Api" "$state/pids/api.pid"
  stop_processes "the Google emulator (saving its state)" "$state/pids/emulator.pid"
  stop_processes "what else ./run.sh started" $(pid_files)
  say "Stopping RabbitMQ and PostgreSQL"
  stop_rabbitmq "$state/rabbitmq"
  stop_postgres "$state/postgres"
}

case "${1:-}" in
  stop) stop_all; say "Stopped."; exit 0 ;;
  --background|"") ;;
  services) ;;
  -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
  *) fail "unknown argument '$1' (use --background, services, stop or --help)"; exit 2 ;;
esac
background=0; [ "${1:-}" = "--background" ] && background=1
only_services=0; [ "${1:-}" = services ] && only_services=1

for f in $(pid_files); do
  if kill -0 "$(cat "$f")" 2>/dev/null; then
    fail "CalSync is already running (see $f). Stop it first with ./run.sh stop."; exit 1
  fi
done

# Fail at once, before starting anything, when a port is taken.
if [ $only_services -eq 0 ]; then
  require_free_port "the Api" "$api_port" CALSYNC_API_PORT
  for i in $(seq 0 $((workers - 1))); do
    require_free_port "worker $((i + 1))" $((worker_port + i)) CALSYNC_WORKER_PORT
  done
  [ $sandbox -eq 1 ] && require_free_port "the Google emulator" "$emulator_port" CALSYNC_EMULATOR_PORT
  command -v dotnet >/dev/null || { fail "the .NET SDK (dotnet) is not on PATH: install .NET 10 first"; exit 1; }
fi
require_free_port PostgreSQL "$pg_port" CALSYNC_POSTGRES_PORT
require_free_port RabbitMQ "$amqp_port" CALSYNC_RABBITMQ_PORT
require_free_port "the RabbitMQ console" "$console_port" CALSYNC_RABBITMQ_CONSOLE_PORT
require_free_port "RabbitMQ clustering" "$dist_port" CALSYNC_RABBITMQ_DIST_PORT
require_free_port "RabbitMQ's epmd" $((dist_port + 1)) CALSYNC_RABBITMQ_DIST_PORT
ensure_packages

# Everything the state folder holds is ours alone: the servers may only pass through to their own folders.
# A folder from an older run.sh (0755, readable logs) is closed the same way.
umask 077
private_dir "$state" postgres rabbitmq
private_dir "$state/pids"
private_dir "$state/logs"
find "$state" -maxdepth 1 -type f -exec chmod go-rwx {} +
chmod -R go-rwx "$state/logs" "$state/pids"
trap 'stop_all; exit 130' INT TERM
trap '[ $? -ne 0 ] && { fail "start-up failed; logs are in $state/logs"; stop_all; }' EXIT

# calsync's passwords in PostgreSQL and RabbitMQ. The PostgreSQL superuser has none: it signs in only as
# the server's OS user on the socket (as root: runuser -u postgres -- psql -h "$PWD/.calsync/postgres" -p PORT -U postgres).
new_secret "$state/postgres.password"
new_secret "$state/rabbitmq.password"
pg_password=$(cat "$state/postgres.password")
broker_password=$(cat "$state/rabbitmq.password")
# The key that encrypts Google tokens at rest; keep it (and back it up) or connected accounts must reconnect.
if [ -z "${TOKEN_VAULT_KEY:-}" ] && [ ! -f "$state/token-vault.key" ]; then
  head -c 32 /dev/urandom | base64 > "$state/token-vault.key"
  chmod 600 "$state/token-vault.key"
fi
vault_key=${TOKEN_VAULT_KEY:-$(cat "$state/token-vault.key")}

say "Starting PostgreSQL on 127.0.0.1:$pg_port and RabbitMQ on 127.0.0.1:$amqp_port"
start_postgres "$state/postgres" "$pg_port" "$pg_password" "" &
pg_job=$!
start_rabbitmq "$state/rabbitmq" "$amqp_port" "$console_port" "$dist_port" calsync calsync "$broker_password"
wait $pg_job

if [ $only_services -eq 1 ]; then
  cat <<INFO

PostgreSQL and RabbitMQ are running (stop them with ./run.sh stop).
  PostgreSQL          127.0.0.1:$pg_port, database calsync, user calsync, password in $state/postgres.password
  RabbitMQ            amqp://127.0.0.1:$amqp_port/, user calsync, password in $state/rabbitmq.password
  RabbitMQ console    http://127.0.0.1:$console_port   (same user and password)

INFO
  trap - EXIT
  exit 0
fi

say "Building"
# Build output is no secret: it keeps the usual permissions.
(
  umask 022
  dotnet build src/CalSync.Api -c Release -nologo -v quiet -clp:ErrorsOnly
  dotnet build src/CalSync.Worker -c Release -nologo -v quiet -clp:ErrorsOnly
  [ $sandbox -eq 0 ] || dotnet build src/CalSync.GoogleEmulator -c Release -nologo -v quiet -clp:ErrorsOnly
)

export Database__ConnectionString="Host=127.0.0.1;Port=$pg_port;Username=calsync;Password=$pg_password;Database=calsync"
export Broker__Uri="amqp://calsync:$broker_password@127.0.0.1:$amqp_port/"
export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
export TokenVault__Keys__0__Id=local TokenVault__Keys__0__Key="$vault_key"
if [ $sandbox -eq 1 ]; then
  export Google__EmulatorRoot="http://127.0.0.1:$emulator_port/"
  export Google__OAuth__ClientId=calsync-dev Google__OAuth__ClientSecret=calsync-dev-secret
  # Push: the emulator delivers notifications to the Api over plain http on loopback (Google needs public https).
  export Webhooks__PublicUrl="${Webhooks__PublicUrl:-http://127.0.0.1:$api_port/}"
else
  export Google__OAuth__ClientId="$GOOGLE_CLIENT_ID" Google__OAuth__ClientSecret="$GOOGLE_CLIENT_SECRET"
fi

# Logs are appended to across restarts, so the lines before a restart stay for a post-mortem; a log past 10 MB moves
# to NAME.log.1 (replacing the one before) when its process starts.
rotate_log() { # FILE
  local size; size=$(stat -c %s "$1" 2>/dev/null || echo 0)
  if [ "$size" -gt $((10 * 1024 * 1024)) ]; then mv -f "$1" "$1.1"; fi
}

start_process() { # NAME URL DLL [ARGS...]
  local name=$1 url=$2 dll=$3; shift 3
  rotate_log "$state/logs/$name.log"
  printf '=== %s: starting %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name" >>"$state/logs/$name.log"
  setsid nohup env Urls="$url" dotnet "$dll" "$@" >>"$state/logs/$name.log" 2>&1 </dev/null &
  echo $! > "$state/pids/$name.pid"
}

wait_ready() { # NAME URL [PATH]
  local pid; pid=$(cat "$state/pids/$1.pid")
  for _ in $(seq 1 180); do
    curl -fs "$2${3:-/health/ready}" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$state/logs/$1.log" >&2; fail "$1 exited while starting (log: $state/logs/$1.log)"; return 1; }
    sleep 0.5
  done
  fail "$1 was not ready within 90 s (log: $state/logs/$1.log)"
}

if [ $sandbox -eq 1 ]; then
  say "Starting the Google emulator on 127.0.0.1:$emulator_port (sandbox mode, demo accounts)"
  # The emulator enforces the OAuth client's redirect URIs as Google does: register the Api's callback.
  # Its accounts, grants, calendars and events are kept in the state folder across ./run.sh stop and start.
  Emulator__StateFile="$state/emulator-state.json" \
  Emulator__Clients__0__ClientId=calsync-dev Emulator__Clients__0__ClientSecret=calsync-dev-secret \
  Emulator__Clients__0__RedirectUris__0="http://127.0.0.1:$api_port/auth/callback" \
  Emulator__Clients__0__RedirectUris__1="http://localhost:$api_port/auth/callback" \
    start_process emulator "http://127.0.0.1:$emulator_port" src/CalSync.GoogleEmulator/bin/Release/net10.0/CalSync.GoogleEmulator.dll --seed demo
  wait_ready emulator "http://127.0.0.1:$emulator_port" /emulator/stats
fi

# The Api migrates the database as it starts; workers start once it is ready.
say "Starting the Api (migrates the database)"
start_process api "http://127.0.0.1:$api_port" src/CalSync.Api/bin/Release/net10.0/CalSync.Api.dll
wait_ready api "http://127.0.0.1:$api_port"

say "Starting $workers workers"
for i in $(seq 1 "$workers"); do
  start_process "worker-$i" "http://127.0.0.1:$((worker_port + i - 1))" src/CalSync.Worker/bin/Release/net10.0/CalSync.Worker.dll
done
for i in $(seq 1 "$workers"); do
  wait_ready "worker-$i" "http://127.0.0.1:$((worker_port + i - 1))"
done

if [ $sandbox -eq 1 ]; then
  say "Sandbox demo: signing in as alice@example.com and syncing her two calendars"
  scripts/demo.sh "http://127.0.0.1:$api_port" "$state" || fail "the demo sync did not succeed; CalSync keeps running (logs: $state/logs)" || true
fi

cat <<INFO

CalSync is running.
  Dashboard           http://127.0.0.1:$api_port/   (open it in a browser and sign in with Google$( [ $sandbox -eq 1 ] && echo ": pick a demo account" ))
  Api                 http://127.0.0.1:$api_port
  API docs            http://127.0.0.1:$api_port/docs   (OpenAPI: /openapi/v1.json)
  Health              http://127.0.0.1:$api_port/health/ready
  Workers ($workers)         health on http://127.0.0.1:$worker_port/health/ready and the next ports
  RabbitMQ console    http://127.0.0.1:$console_port   (user calsync, password in .calsync/rabbitmq.password)
  PostgreSQL          127.0.0.1:$pg_port, database calsync, user calsync, password in .calsync/postgres.password
$( [ $sandbox -eq 1 ] && echo "  Google emulator     http://127.0.0.1:$emulator_port   (sandbox: demo accounts alice@example.com, bob@example.com, ...)" || echo "  Google              real Google, OAuth client $GOOGLE_CLIENT_ID" )
  Logs                .calsync/logs/

INFO

trap - EXIT
if [ $background -eq 1 ]; then
  say "Running in the background. Stop it with: ./run.sh stop"
  exit 0
fi
say "Following the logs. Ctrl-C stops everything."
tail -n 0 -F "$state"/logs/*.log &
tail_pid=$!
trap 'echo; kill "$tail_pid" 2>/dev/null; stop_all; exit 0' INT TERM
wait "$tail_pid"
