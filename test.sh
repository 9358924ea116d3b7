#!/usr/bin/env bash
# Runs every CalSync test: the .NET test projects and the Google emulator's conformance suite.
#
# Services: CALSYNC_TEST_POSTGRES / CALSYNC_TEST_RABBITMQ / CALSYNC_TEST_RABBITMQ_MANAGEMENT when given;
# otherwise containers when a Docker engine answers; otherwise private PostgreSQL and RabbitMQ
# instances on free ports under a temporary directory, stopped afterwards: PostgreSQL's superuser and
# RabbitMQ's calsync user (administrator: tests make virtual hosts) sign in with passwords made here.
# tests/stack/local-access.sh checks that other local accounts cannot get into the stack ./run.sh starts.
# Ends with the line "N passed, N failed"; exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")"
source scripts/services.sh

work=$(mktemp -d /tmp/calsync-test.XXXXXX)
started_services=0
cleanup() {
  if [ $started_services -eq 1 ]; then
    stop_rabbitmq "$work/rabbitmq"
    stop_postgres "$work/postgres"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${CALSYNC_TEST_POSTGRES:-}" ] && [ -n "${CALSYNC_TEST_RABBITMQ:-}" ]; then
  say "Using the PostgreSQL and RabbitMQ given by CALSYNC_TEST_*"
elif docker info >/dev/null 2>&1; then
  say "Using containers (a Docker engine answers)"
else
  ensure_packages || exit 1
  private_dir "$work" postgres rabbitmq || exit 1
  new_secret "$work/postgres.password"; new_secret "$work/calsync.password"; new_secret "$work/rabbitmq.password"
  password=$(cat "$work/postgres.password"); broker_password=$(cat "$work/rabbitmq.password")
  start_services() {
    pg_port=$(free_port); amqp_port=$(free_port); mgmt_port=$(free_port); dist_port=$(free_port)
    say "Starting private PostgreSQL (:$pg_port) and RabbitMQ (:$amqp_port, console :$mgmt_port)"
    # Throwaway data: fsync off makes the many small test transactions cheap.
    PG_FSYNC=off start_postgres "$work/postgres" "$pg_port" "$(cat "$work/calsync.password")" "$password" &
    local pg_job=$! rabbit=0
    start_rabbitmq "$work/rabbitmq" "$amqp_port" "$mgmt_port" "$dist_port" "calsync-test-$$" calsync "$broker_password" || rabbit=1
    wait $pg_job && [ $rabbit -eq 0 ]
  }
  started_services=1
  # A free port can still be taken between choosing it and binding it: then once more, on other ports.
  if ! start_services; then
    say "A service did not start; stopping both and trying once more on other ports"
    stop_rabbitmq "$work/rabbitmq"; stop_postgres "$work/postgres"
    start_services || exit 1
  fi
  export CALSYNC_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$password;Database=postgres"
  export CALSYNC_TEST_RABBITMQ="amqp://calsync:$broker_password@127.0.0.1:$amqp_port/"
  export CALSYNC_TEST_RABBITMQ_MANAGEMENT="http://calsync:$broker_password@127.0.0.1:$mgmt_port/"
fi

passed=0; failed=0

say "Building"
if ! dotnet build CalSync.sln -nologo -v quiet -clp:ErrorsOnly; then
  echo "The build failed." >&2
  echo "0 passed, 1 failed"
  exit 1
fi

say "Running the .NET tests"
dotnet test CalSync.sln --no-build -nologo --logger "trx" --results-directory "$work/results" \
  --logger "console;verbosity=minimal"
dotnet_status=$?
for trx in "$work"/results/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  total=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  executed=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  # Tests that did not execute (aborted host, not run) count as failures.
  failed=$((failed + ${f:-0} + ${total:-0} - ${executed:-0}))
done
trx_count=$(ls "$work"/results/*.trx 2>/dev/null | wc -l)
projects=$(ls tests/*/*.Tests.csproj | wc -l)
if [ "$trx_count" -lt "$projects" ]; then
  echo "Only $trx_count of $projects test projects reported results." >&2
  failed=$((failed + projects - trx_count))
fi
if [ "$dotnet_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test failed (exit $dotnet_status) without a failed test: a test host aborted." >&2
  failed=1
fi

say "Checking that other local accounts cannot get into the stack ./run.sh starts"
tests/stack/local-access.sh 2>&1 | tee "$work/local-access.log"
status=${PIPESTATUS[0]}
p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$work/local-access.log" | tail -n 1)
f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$work/local-access.log" | tail -n 1)
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))
if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); fi

if [ -x tests/conformance/run.sh ]; then
  say "Running the emulator conformance suite (Google's Node client)"
  tests/conformance/run.sh 2>&1 | tee "$work/conformance.log"
  status=${PIPESTATUS[0]}
  p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$work/conformance.log" | tail -n 1)
  f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$work/conformance.log" | tail -n 1)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
fi

# Every failure named again just above the count: a CI log that keeps only its tail still says what failed.
failures=$(node scripts/failed-tests.mjs "$work"/results/*.trx 2>&1
  grep -hE "^ *not ok " "$work/local-access.log" "$work/conformance.log" 2>/dev/null | sed -E "s/^ *not ok [0-9]+ - /FAILED /")
[ -n "$failures" ] && printf "\n%s\n\n" "$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
