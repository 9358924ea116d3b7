# shellcheck shell=bash
# Helpers shared by run.sh and test.sh: install what is missing, start and stop private PostgreSQL and
# RabbitMQ instances bound to 127.0.0.1 with their data under a directory the caller chooses.
# Source it; every function reports failures on stderr and returns non-zero.

PG_BIN="${PG_BIN:-}"
if [ -z "$PG_BIN" ]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
fail() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; return 1; }

# Is something listening on 127.0.0.1:PORT?
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

require_free_port() { # NAME PORT VARIABLE
  if port_in_use "$2"; then
    fail "port $2 for $1 is already taken on 127.0.0.1. Stop whatever uses it, or choose another port with $3=<port>."
  fi
}

# A free TCP port chosen by the kernel.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( (RANDOM % 20000) + 30000 ))
    if ! port_in_use "$port"; then echo "$port"; return 0; fi
  done
  fail "no free port found"
}

# Installs the Debian packages CalSync needs when they are missing (as root), or prints the command.
ensure_packages() {
  local missing=()
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || missing+=(postgresql postgresql-client)
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
  command -v curl >/dev/null || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] && return 0
  local cmd="apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    fail "missing packages: ${missing[*]}. Install them with: sudo apt-get update && sudo $cmd"
    return 1
  fi
  say "Installing ${missing[*]} (apt)"
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $cmd >/dev/null || fail "apt-get install ${missing[*]} failed"
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
}

# Runs a command as a service user when we are root (servers refuse to run as root), else as ourselves.
as_user() { # USER CMD...
  local user=$1; shift
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

own_dir() { # USER DIR
  mkdir -p "$2"
  if [ "$(id -u)" -eq 0 ]; then chown -R "$1" "$2"; fi
}

# start_postgres DIR PORT PASSWORD: a cluster in DIR/data with a 'calsync' database and role.
start_postgres() {
  local dir=$1 port=$2 password=$3
  own_dir postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    printf '%s\n' "$password" > "$dir/pwfile"
    own_dir postgres "$dir"
    as_user postgres "$PG_BIN/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" -E UTF8 \
      --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; fail "initdb failed"; return 1; }
    rm -f "$dir/pwfile"
  fi
  as_user postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=${PG_FSYNC:-on}" start >/dev/null \
    || { tail -n 20 "$dir/server.log" >&2; fail "PostgreSQL did not start"; return 1; }
  as_user postgres "$PG_BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >/dev/null <<SQL || { fail "could not create the calsync role"; return 1; }
do \$\$ begin
  if not exists (select from pg_roles where rolname = 'calsync') then
    create role calsync login createdb password '$password';
  end if;
end \$\$;
select 'create database calsync owner calsync' where not exists (select from pg_database where datname = 'calsync')\gexec
SQL
}

stop_postgres() { # DIR
  [ -f "$1/data/postmaster.pid" ] || return 0
  as_user postgres "$PG_BIN/pg_ctl" -D "$1/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

# start_rabbitmq DIR AMQP_PORT MGMT_PORT DIST_PORT NODENAME: a node with the management console on.
start_rabbitmq() {
  local dir=$1 amqp=$2 mgmt=$3 dist=$4 node=$5 epmd=$(( $4 + 1 ))
  own_dir rabbitmq "$dir"
  cat > "$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$amqp
management.tcp.ip = 127.0.0.1
management.tcp.port = $mgmt
loopback_users.guest = true
CONF
  echo '[rabbitmq_management].' > "$dir/enabled_plugins"
  own_dir rabbitmq "$dir"
  echo "$epmd" > "$dir/epmd.port"
  rm -f "$dir/rabbit.pid"
  (
    export RABBITMQ_NODENAME="$node@localhost" RABBITMQ_NODE_PORT="$amqp" RABBITMQ_DIST_PORT="$dist" \
      RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_CONFIG_FILE="$dir/rabbitmq" \
      RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_PID_FILE="$dir/rabbit.pid" \
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
      ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT="$epmd" HOME="$dir"
    if [ "$(id -u)" -eq 0 ]; then
      setsid runuser -p -u rabbitmq -- /usr/lib/rabbitmq/bin/rabbitmq-server </dev/null >"$dir/console.log" 2>&1 &
    else
      setsid /usr/lib/rabbitmq/bin/rabbitmq-server </dev/null >"$dir/console.log" 2>&1 &
    fi
    echo $! > "$dir/launcher.pid"
  )
  # Wait for the node to answer on its management port (which also means AMQP is up: plugins start last).
  local launcher; launcher=$(cat "$dir/launcher.pid")
  for _ in $(seq 1 120); do
    if curl -fs -u guest:guest "http://127.0.0.1:$mgmt/api/overview" >/dev/null 2>&1 && port_in_use "$amqp"; then
      return 0
    fi
    if ! kill -0 "$launcher" 2>/dev/null; then
      tail -n 30 "$dir/console.log" >&2
      fail "RabbitMQ exited while starting (log: $dir/console.log)"; return 1
    fi
    sleep 1
  done
  fail "RabbitMQ did not become ready within 120 s (log: $dir/console.log)"
}

stop_rabbitmq() { # DIR
  local dir=$1 pids=() pid
  for f in "$dir/rabbit.pid" "$dir/launcher.pid"; do
    pid=$(cat "$f" 2>/dev/null || true)
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && pids+=("$pid")
  done
  [ ${#pids[@]} -eq 0 ] || kill -TERM "${pids[@]}" 2>/dev/null || true
  # The node removes its pid file as soon as it begins to stop, so wait on the pids themselves.
  for _ in $(seq 1 60); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  # epmd outlives the node. Each node gets its own epmd port, so end exactly the epmd started with it.
  local port; port=$(cat "$dir/epmd.port" 2>/dev/null || true)
  if [ -n "$port" ]; then
    for p in $(pgrep -x epmd 2>/dev/null); do
      tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qx "ERL_EPMD_PORT=$port" && { kill -TERM "$p" 2>/dev/null || true; }
    done
  fi
  rm -f "$dir/rabbit.pid" "$dir/launcher.pid"
}
