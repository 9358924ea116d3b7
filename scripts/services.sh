# shellcheck shell=bash
# Helpers shared by run.sh and test.sh: install what is missing, start and stop private PostgreSQL and
# RabbitMQ instances bound to 127.0.0.1 with their data under a directory the caller chooses.
# Source it; every function reports failures on stderr and returns non-zero.
#
# Other local accounts must not get in: each server's folder is 0700 and its own user's, PostgreSQL asks
# every role for its password (the superuser may also use peer auth as the server's OS user, on the socket
# only), and RabbitMQ has no guest user once the caller names one of its own.

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
    # Below the kernel's ephemeral range (32768 and up), so no outgoing connection holds the port when the server binds it.
    port=$(( (RANDOM % 12000) + 20000 ))
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
  # The dashboard's browser tests drive Debian's chromium (never a downloaded browser).
  [ -x /usr/lib/chromium/chromium ] || missing+=(chromium)
  # As root the servers run as their own users; setfacl lets them through the caller's private folder.
  [ "$(id -u)" -ne 0 ] || command -v setfacl >/dev/null || missing+=(acl)
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

own_dir() { # USER DIR: DIR belongs to USER (when we are root) and no one else may enter it
  mkdir -p "$2" && chmod 700 "$2" || return 1
  if [ "$(id -u)" -eq 0 ]; then chown -R "$1" "$2"; fi
}

# private_dir DIR [SERVER_USER...]: DIR is ours alone (0700). As root, each SERVER_USER may pass through it
# (search only, by ACL: no listing, no reading) to reach the folder of its own that we put inside.
private_dir() {
  local dir=$1; shift
  mkdir -p "$dir" && chmod 700 "$dir" || return 1
  [ "$(id -u)" -eq 0 ] && [ $# -gt 0 ] || return 0
  local entries=() user
  for user in "$@"; do entries+=("u:$user:x"); done
  setfacl -m "$(IFS=,; echo "${entries[*]}")" "$dir" || fail "could not let $* pass through $dir (setfacl)"
}

# new_secret FILE: a random password (letters and digits) in FILE, readable by us only; kept once created.
new_secret() {
  if [ ! -s "$1" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$1") || return 1
  fi
  chmod 600 "$1"
}

# The user a server runs as: its own when we are root, else ourselves.
server_user() { if [ "$(id -u)" -eq 0 ]; then echo "$1"; else id -un; fi; }

# start_postgres DIR PORT PASSWORD [SUPERUSER_PASSWORD]: a cluster in DIR/data with a 'calsync' database
# owned by the 'calsync' role, which signs in with PASSWORD and holds no other power. The superuser
# 'postgres' signs in on 127.0.0.1 with SUPERUSER_PASSWORD (PASSWORD when not given, as tests and
# benchmarks want; no password at all when empty), and on the socket in DIR only as the server's OS user.
# A cluster made by an older version of this script (trust on the socket) is brought up to this on start.
start_postgres() {
  local dir=$1 port=$2 password=$3 superuser_password=${4-$3}
  own_dir postgres "$dir" || return 1
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_user postgres "$PG_BIN/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; fail "initdb failed"; return 1; }
  fi
  # Rewritten on every start, so older clusters lose their trust lines too. Peer auth maps only the
  # server's own OS user to the superuser; everyone else needs a password, on the socket and over TCP.
  as_user postgres tee "$dir/data/pg_hba.conf" >/dev/null <<HBA || { fail "could not write pg_hba.conf"; return 1; }
# Written by scripts/services.sh on every start.
local  all  postgres                peer map=server
local  all  all                     scram-sha-256
host   all  all       127.0.0.1/32  scram-sha-256
HBA
  printf 'server  %s  postgres\n' "$(server_user postgres)" | as_user postgres tee "$dir/data/pg_ident.conf" >/dev/null \
    || { fail "could not write pg_ident.conf"; return 1; }
  as_user postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c unix_socket_permissions=0700 -c listen_addresses=127.0.0.1 -c password_encryption=scram-sha-256 -c max_connections=300 -c fsync=${PG_FSYNC:-on}" start >/dev/null \
    || { tail -n 20 "$dir/server.log" >&2; fail "PostgreSQL did not start"; return 1; }
  local superuser_secret=null
  [ -z "$superuser_password" ] || superuser_secret="'${superuser_password//\'/\'\'}'"
  # Passwords go through stdin: a command line is visible to every local user.
  as_user postgres "$PG_BIN/psql" -X -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >/dev/null <<SQL || { fail "could not set up the calsync role and database"; return 1; }
alter role postgres password $superuser_secret;
select 'create role calsync' where not exists (select from pg_roles where rolname = 'calsync')\gexec
alter role calsync login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password '${password//\'/\'\'}';
select 'create database calsync owner calsync' where not exists (select from pg_database where datname = 'calsync')\gexec
alter database calsync owner to calsync;
revoke all on database postgres, template1 from public;
SQL
}

stop_postgres() { # DIR
  [ -f "$1/data/postmaster.pid" ] || return 0
  as_user postgres "$PG_BIN/pg_ctl" -D "$1/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

# start_rabbitmq DIR AMQP_PORT MGMT_PORT DIST_PORT NODENAME [USER PASSWORD]: a node with the management
# console on, everything on 127.0.0.1. USER (administrator, all rights on /) is then its only user: a new
# node never has guest, and a node made by an older version of this script gets USER and loses guest.
# Without USER the node keeps the default guest user (loopback only), for callers not yet given one.
start_rabbitmq() {
  local dir=$1 amqp=$2 mgmt=$3 dist=$4 node=$5 user=${6:-guest} password=${7:-guest} epmd=$(( $4 + 1 ))
  own_dir rabbitmq "$dir" || return 1
  (
    umask 077
    cat > "$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$amqp
management.tcp.ip = 127.0.0.1
management.tcp.port = $mgmt
CONF
    if [ "$user" = guest ]; then
      echo 'loopback_users.guest = true' >> "$dir/rabbitmq.conf"
    else
      # Only a brand-new node creates its default user, so this is the whole story for new nodes.
      cat >> "$dir/rabbitmq.conf" <<CONF
default_user = $user
default_pass = $password
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
CONF
    fi
    echo '[rabbitmq_management].' > "$dir/enabled_plugins"
    chmod 600 "$dir/rabbitmq.conf" # an older node's file keeps its mode when rewritten
  )
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
  local launcher status; launcher=$(cat "$dir/launcher.pid")
  for _ in $(seq 1 120); do
    if port_in_use "$amqp"; then
      status=$(broker_api "$mgmt" "$user:$password" GET /api/whoami </dev/null)
      if [ "$status" = 200 ]; then
        [ "$user" = guest ] || adopt_broker_user "$mgmt" "$user:$password" "$user:$password" || return 1
        return 0
      fi
      if [ "$status" = 401 ]; then
        # A node from before USER existed: guest (loopback) still gets in and hands over to USER.
        if [ "$(broker_api "$mgmt" guest:guest GET /api/whoami </dev/null)" = 200 ]; then
          adopt_broker_user "$mgmt" guest:guest "$user:$password"; return
        fi
        fail "RabbitMQ in $dir refuses $user's password (was its password file replaced?). Remove $dir to start the broker afresh."
        return 1
      fi
    fi
    if ! kill -0 "$launcher" 2>/dev/null; then
      tail -n 30 "$dir/console.log" >&2
      fail "RabbitMQ exited while starting (log: $dir/console.log)"; return 1
    fi
    sleep 1
  done
  fail "RabbitMQ did not become ready within 120 s (log: $dir/console.log)"
}

# broker_api MGMT_PORT USER:PASSWORD METHOD PATH < BODY: prints the HTTP status of a management API call.
# The credentials and the body travel through a pipe and stdin, never on a command line.
broker_api() {
  curl -s -o /dev/null -w '%{http_code}' -K <(printf 'user = "%s"\n' "$2") -X "$3" \
    -H 'content-type: application/json' --data-binary @- "http://127.0.0.1:$1$4" 2>/dev/null || true
}

# adopt_broker_user MGMT_PORT ADMIN_CREDENTIALS USER:PASSWORD: USER is an administrator with every right on
# the default virtual host and its password, and the guest user is gone.
adopt_broker_user() {
  local mgmt=$1 admin=$2 user=${3%%:*} password=${3#*:} status
  status=$(printf '{"password":"%s","tags":"administrator"}' "$password" | broker_api "$mgmt" "$admin" PUT "/api/users/$user")
  [[ $status == 20? ]] || { fail "could not create the RabbitMQ user $user (HTTP $status)"; return 1; }
  status=$(echo '{"configure":".*","write":".*","read":".*"}' | broker_api "$mgmt" "$3" PUT "/api/permissions/%2F/$user")
  [[ $status == 20? ]] || { fail "could not give $user its rights on / (HTTP $status)"; return 1; }
  status=$(broker_api "$mgmt" "$3" DELETE /api/users/guest </dev/null)
  [[ $status == 20? || $status == 404 ]] || { fail "could not delete RabbitMQ's guest user (HTTP $status)"; return 1; }
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
