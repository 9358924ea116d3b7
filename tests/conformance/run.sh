#!/usr/bin/env bash
# Conformance suite: drives the Google emulator with Google's official Node client.
# Usage: tests/conformance/run.sh [extra node --test args]
#   EMULATOR_URL=http://host:port  use that server instead of building and starting the emulator.
# Exit code: node's test runner exit code (0 = every test passed or is a todo).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

command -v node >/dev/null || { echo "conformance: node is required" >&2; exit 1; }
command -v npm >/dev/null || { echo "conformance: npm is required" >&2; exit 1; }

# Dependencies, pinned by package-lock.json.
if [ ! -f "$here/node_modules/googleapis/package.json" ]; then
  echo "conformance: installing googleapis (npm ci)" >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

emulator_pid=""
workdir=""
cleanup() {
  if [ -n "$emulator_pid" ] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  if [ -n "$workdir" ]; then rm -rf "$workdir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${EMULATOR_URL:-}" ]; then
  command -v dotnet >/dev/null || { echo "conformance: dotnet is required to start the emulator" >&2; exit 1; }
  project="src/CalSync.GoogleEmulator"
  echo "conformance: building $project (Release)" >&2
  dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly >&2
  dll="$(dotnet msbuild "$project" -nologo -getProperty:TargetPath -p:Configuration=Release)"
  [ -f "$dll" ] || { echo "conformance: built emulator not found at '$dll'" >&2; exit 1; }

  port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})')"
  workdir="$(mktemp -d)"
  log="$workdir/emulator.log"
  EMULATOR_URL="http://127.0.0.1:$port"
  echo "conformance: starting emulator at $EMULATOR_URL" >&2
  dotnet "$dll" --urls "$EMULATOR_URL" >"$log" 2>&1 &
  emulator_pid=$!

  # Ready once the admin API answers; fail fast if the process dies.
  if ! EMULATOR_URL="$EMULATOR_URL" EMULATOR_PID="$emulator_pid" node -e '
    const url = process.env.EMULATOR_URL + "/emulator/faults";
    const pid = Number(process.env.EMULATOR_PID);
    const deadline = Date.now() + 120000;
    const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
    (async () => {
      while (Date.now() < deadline) {
        if (!alive()) { console.error("conformance: the emulator exited during start-up"); process.exit(1); }
        try { const r = await fetch(url); if (r.status < 500) process.exit(0); } catch {}
        await new Promise((r) => setTimeout(r, 200));
      }
      console.error("conformance: the emulator did not answer within 120 s"); process.exit(1);
    })();'; then
    tail -n 50 "$log" >&2 || true
    exit 1
  fi
fi
export EMULATOR_URL

# Files run one at a time: fault injection (PUT /emulator/faults) is global to the server.
set +e
node --test --test-reporter=tap --test-concurrency=1 "$@" "$here"/*.test.mjs
status=$?
set -e
if [ "$status" -ne 0 ] && [ -n "${log:-}" ] && [ -f "$log" ]; then
  echo "conformance: last lines of the emulator log:" >&2
  tail -n 40 "$log" >&2 || true
fi
exit "$status"
