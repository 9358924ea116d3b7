#!/usr/bin/env bash
# Benchmarks against the Google emulator with a fixed latency per HTTP request. Figures printed, never asserted.
#
#   bench/run.sh [engine] [events=5000] [latencyMs=50] [changes=10]
#     The engine in process (the default): an initial one-way sync of N events, a no-change run and a
#     run with `changes` changed events; HTTP requests, quota units and wall time per run.
#   bench/run.sh twoway [events=1000] [latencyMs=50]
#     A first two-way sync of N events on each side, the calendars of two Google accounts, with the limiter
#     pacing each account at 600 calls a minute (Google's per-user quota): wall time and each account's calls.
#   bench/run.sh workers [syncs=200] [latencyMs=50] [eventsPerSync=5]
#     Throughput of real worker processes: `syncs` syncs triggered at once, drained by 1, 2 and 4 workers
#     (dotnet src/CalSync.Worker/bin/Release/net10.0/CalSync.Worker.dll); runs/s, queue wait, run time,
#     Google requests and the scaling ratios. Broker__ConcurrentRuns / Broker__PrefetchCount set in the
#     environment reach the workers; otherwise they run with their defaults.
#   bench/run.sh quota [eventsPerSync=100] [lowerQuotaEvents=500] [latencyMs=50]
#     Google's quota at full scale (one-minute windows): three syncs into one account drained by three workers
#     under a quota of 120 a minute (CalSync's budget 120), then one sync under a quota of 60 while CalSync is
#     configured for 600; calls, refusals, the most calls in any minute, database round trips.
#   bench/run.sh dashboard [syncs=200] [runs=10000] [requests=50]
#     Server time of every dashboard page (min, median, p95) for one person with that many syncs and runs.
#   bench/run.sh push [syncs=100] [seconds=60] [editsPerSecond=5] [latencyMs=50] [workers=2]
#     Two-way syncs watched through the Api's webhook and real workers; a driver edits random events at the
#     emulator at a steady rate: p50/p95/p99 of edit → copy (the emulator's clock), runs and Google calls per change.
#
# Services: CALSYNC_TEST_POSTGRES (and for workers CALSYNC_TEST_RABBITMQ, CALSYNC_TEST_RABBITMQ_MANAGEMENT)
# when set; otherwise private PostgreSQL (and RabbitMQ) on free ports, started with scripts/services.sh
# and stopped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh

mode=engine
case "${1:-}" in workers|quota|dashboard|push) mode=$1 ;; esac

work=$(mktemp -d /tmp/calsync-bench.XXXXXX)
chmod 755 "$work"
started_rabbitmq=0
cleanup() {
  [ $started_rabbitmq -eq 0 ] || stop_rabbitmq "$work/rabbitmq"
  stop_postgres "$work/postgres"
  rm -rf "$work"
}
trap cleanup EXIT
if [ -z "${CALSYNC_TEST_POSTGRES:-}" ]; then
  ensure_packages
  port=$(free_port)
  PG_FSYNC=off start_postgres "$work/postgres" "$port" bench
  export CALSYNC_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=bench;Database=postgres"
fi
if [ "$mode" != engine ] && [ -z "${CALSYNC_TEST_RABBITMQ:-}" ]; then
  ensure_packages
  amqp_port=$(free_port); mgmt_port=$(free_port); dist_port=$(free_port)
  started_rabbitmq=1
  start_rabbitmq "$work/rabbitmq" "$amqp_port" "$mgmt_port" "$dist_port" "calsync-bench-$$"
  export CALSYNC_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:$amqp_port/"
  export CALSYNC_TEST_RABBITMQ_MANAGEMENT="http://guest:guest@127.0.0.1:$mgmt_port/"
fi
# The fixtures want the broker settings too; the engine bench uses none of them.
export CALSYNC_TEST_RABBITMQ=${CALSYNC_TEST_RABBITMQ:-amqp://unused/} CALSYNC_TEST_RABBITMQ_MANAGEMENT=${CALSYNC_TEST_RABBITMQ_MANAGEMENT:-http://unused/}
# Building the bench builds the worker too (a project reference), into its own Release output.
dotnet run -c Release --project bench/CalSync.Bench -- "$@"
