#!/usr/bin/env bash
# Engine benchmark: initial one-way sync of N events, a no-change run and a 10-change run against the
# Google emulator with a fixed latency per request. Prints figures; asserts nothing.
#   bench/run.sh [events=5000] [latencyMs=50] [changes=10]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh

work=$(mktemp -d /tmp/calsync-bench.XXXXXX)
chmod 755 "$work"
trap 'stop_postgres "$work/postgres"; rm -rf "$work"' EXIT
if [ -z "${CALSYNC_TEST_POSTGRES:-}" ]; then
  ensure_packages
  port=$(free_port)
  PG_FSYNC=off start_postgres "$work/postgres" "$port" bench
  export CALSYNC_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=bench;Database=postgres"
fi
# The fixtures want the broker settings too; the engine bench uses none of them.
export CALSYNC_TEST_RABBITMQ=${CALSYNC_TEST_RABBITMQ:-amqp://unused/} CALSYNC_TEST_RABBITMQ_MANAGEMENT=${CALSYNC_TEST_RABBITMQ_MANAGEMENT:-http://unused/}
dotnet run -c Release --project bench/CalSync.Bench -- "$@"
