#!/usr/bin/env bash
# The sandbox demo, run by ./run.sh against the Google emulator: signs in as alice@example.com with curl (the
# emulator approves a login_hint at once), connects her work account, creates a personal access token and a
# two-way sync between the two primary calendars, runs it and prints what it did. A later start runs the demo
# sync it made before again (the emulator keeps its calendars across restarts).
#   scripts/demo.sh API_URL STATE_DIR
set -euo pipefail
api=$1; state=$2

# json EXPR: evaluates a JavaScript expression on the JSON read from stdin (`o` is the parsed value).
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const o=JSON.parse(s);const v=eval(process.argv[1]);console.log(typeof v==="object"?JSON.stringify(v):v)})' "$1"; }

jar="$state/demo.cookies"
rm -f "$jar"
curl -fsS -L -c "$jar" -b "$jar" -o /dev/null "$api/auth/login?login_hint=alice@example.com"
curl -fsS -L -c "$jar" -b "$jar" -o /dev/null "$api/api/accounts/connect?login_hint=alice.work@example.com"
# One demo token at a time: revoke the previous start's.
for old in $(curl -fsS -b "$jar" "$api/api/tokens" | json "o.filter(t => t.name === 'run.sh demo').map(t => t.id).join(' ')"); do
  curl -fsS -X DELETE -b "$jar" "$api/api/tokens/$old" -o /dev/null
done
token=$(curl -fsS -b "$jar" -H 'Content-Type: application/json' -d '{"name":"run.sh demo"}' "$api/api/tokens" | json 'o.token')
rm -f "$jar"
umask 077; echo "$token" > "$state/demo.token"
auth="Authorization: Bearer $token"

accounts=$(curl -fsS -H "$auth" "$api/api/accounts")
personal=$(json 'o.find(a => a.email === "alice@example.com").id' <<<"$accounts")
work=$(json 'o.find(a => a.email === "alice.work@example.com").id' <<<"$accounts")

name="Demo: Alice personal <-> work"
sync=$(curl -fsS -H "$auth" "$api/api/syncs" | json "(o.find(s => s.name === '$name') || {}).id || ''")
if [ -z "$sync" ]; then
sync=$(curl -fsS -H "$auth" -H 'Content-Type: application/json' "$api/api/syncs" -d @- <<JSON | json 'o.id'
{ "name": "$name",
  "source": { "accountId": "$personal", "calendarId": "primary" },
  "target": { "accountId": "$work", "calendarId": "primary" },
  "direction": "two-way", "pastDays": 0, "futureDays": 90,
  "copyToTarget": { "privacy": true, "placeholder": "Personal", "colorId": "8" },
  "copyToSource": { "privacy": false, "placeholder": "Busy", "colorId": "9" } }
JSON
)
fi
run=$(curl -fsS -X POST -H "$auth" -H 'Content-Type: application/json' -d '{}' "$api/api/syncs/$sync/runs" | json 'o.runId')

for _ in $(seq 1 240); do
  result=$(curl -fsS -H "$auth" "$api/api/runs/$run")
  status=$(json 'o.status' <<<"$result")
  case "$status" in queued|running) sleep 0.5 ;; *) break ;; esac
done
summary=$(json '`${o.status}: ${o.created} created, ${o.updated} updated, ${o.deleted} deleted, ${o.skipped} skipped, ${o.apiCalls} Google calls${o.error ? " (" + o.error + ")" : ""}`' <<<"$result")

cat <<INFO

Demo: alice@example.com signed in, connected alice.work@example.com and synced their primary calendars two-way.
  Sync                $api/api/syncs/$sync
  Run                 $api/api/runs/$run   ($summary)
  Its changes         $api/api/runs/$run/changes
  Alice's token       $token   (also in $state/demo.token)
  Try                 curl -H "Authorization: Bearer \$(cat $state/demo.token)" $api/api/runs/$run/changes
INFO
[ "$status" = succeeded ]
