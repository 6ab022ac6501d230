#!/usr/bin/env bash
# Smoke test of `npm start` as a newcomer runs it, on a throwaway data folder and non-default
# ports (so it can run beside a developer's own stack):
#   1. npm start (embedded PostgreSQL + the pinned Temporal dev server, worker, API) reaches /readyz 200
#   2. POST /v1/ping answers 202, and the pinned `temporal workflow list` shows that workflow
#   3. the ping completes (worker → activity → PostgreSQL → query)
#   4. Ctrl-C (SIGINT to the process group) stops everything: nothing listens on the ports it used
#      and no process of it is left.
# Usage: bash scripts/smoke-start.sh        (KEEP_SMOKE_DIR=1 keeps the data folder and log)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

say() { printf '[smoke] %s\n' "$*"; }
fail() { printf '[smoke] FAIL: %s\n' "$*" >&2; if [[ -f "${LOG:-}" ]]; then echo '--- npm start log (tail) ---' >&2; tail -n 60 "$LOG" >&2; fi; exit 1; }

# A data folder the embedded PostgreSQL's user can traverse (mktemp makes it 0700).
DATA=$(mktemp -d "${TMPDIR:-/tmp}/limelight-smoke.XXXXXX")
chmod 755 "$DATA"
LOG="$DATA/npm-start.log"

# Free ports chosen by the kernel (then released), one per listener npm start opens.
read -r PORT PG_PORT T_PORT UI_PORT M_PORT AM_PORT < <(node -e '
  const net = require("net");
  const servers = Array.from({ length: 6 }, () => net.createServer());
  Promise.all(servers.map((s) => new Promise((r) => s.listen(0, "127.0.0.1", () => r(s.address().port)))))
    .then((ports) => { console.log(ports.join(" ")); servers.forEach((s) => s.close()); });')
PORTS=("$PORT" "$PG_PORT" "$T_PORT" "$UI_PORT" "$M_PORT" "$AM_PORT")
say "data in $DATA; ports api=$PORT postgres=$PG_PORT temporal=$T_PORT ui=$UI_PORT worker-metrics=$M_PORT app-metrics=$AM_PORT"

listening() { # prints the ports of PORTS that something listens on
  local p
  for p in "${PORTS[@]}"; do
    if ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then echo "$p"; fi
  done
}
[[ -z "$(listening)" ]] || fail "ports already in use: $(listening | tr '\n' ' ')"

# The embedded defaults: no DATABASE_URL, no TEMPORAL_ADDRESS.
# setsid: npm start gets a process group of its own, as in a terminal, so SIGINT reaches it like Ctrl-C.
env -u DATABASE_URL -u TEMPORAL_ADDRESS \
  DATA_DIR="$DATA/data" PORT="$PORT" EMBEDDED_PG_PORT="$PG_PORT" TEMPORAL_DEV_PORT="$T_PORT" \
  TEMPORAL_UI_PORT="$UI_PORT" WORKER_METRICS_PORT="$M_PORT" WORKER_APP_METRICS_PORT="$AM_PORT" \
  NODE_ENV=development LOG_LEVEL=warn \
  setsid npm start >"$LOG" 2>&1 < /dev/null &
PID=$!
PGID=$PID
STARTED=$(date +%s)
cleanup() {
  if kill -0 "$PID" 2>/dev/null; then kill -KILL -- "-$PGID" 2>/dev/null || true; fi
  if [[ -z "${KEEP_SMOKE_DIR:-}" ]]; then rm -rf "$DATA"; else say "kept $DATA"; fi
}
trap cleanup EXIT

say "npm start (pid $PID), waiting for /readyz…"
API="http://127.0.0.1:$PORT"
until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$API/readyz" || true)" == 200 ]]; do
  kill -0 "$PID" 2>/dev/null || fail "npm start exited before /readyz answered 200"
  (( $(date +%s) - STARTED < ${SMOKE_TIMEOUT:-420} )) || fail "/readyz not 200 after ${SMOKE_TIMEOUT:-420}s"
  sleep 2
done
say "/readyz 200 after $(( $(date +%s) - STARTED ))s: $(curl -s "$API/readyz")"
grep -q "Temporal UI  http://127.0.0.1:$UI_PORT" "$LOG" || fail "npm start did not print the Temporal UI URL"
grep -q "API docs     $API/docs" "$LOG" || fail "npm start did not print the API docs URL"

# The round trip, the way the README shows it.
RESPONSE=$(curl -s -w '\n%{http_code}' -X POST "$API/v1/ping")
CODE=$(tail -n1 <<<"$RESPONSE")
BODY=$(head -n1 <<<"$RESPONSE")
[[ "$CODE" == 202 ]] || fail "POST /v1/ping answered $CODE: $BODY"
ID=$(node -e 'console.log(JSON.parse(process.argv[1]).id)' "$BODY")
WORKFLOW_ID="ping-$ID"
say "POST /v1/ping → 202 $BODY"

TEMPORAL="$ROOT/.tools/bin/temporal"
[[ -x "$TEMPORAL" ]] || TEMPORAL=temporal
for _ in $(seq 1 30); do
  if "$TEMPORAL" workflow list --address "127.0.0.1:$T_PORT" --query "WorkflowId = '$WORKFLOW_ID'" 2>/dev/null | grep -q "$WORKFLOW_ID"; then FOUND=1; break; fi
  sleep 1
done
[[ -n "${FOUND:-}" ]] || fail "temporal workflow list does not show $WORKFLOW_ID"
say "temporal workflow list shows $WORKFLOW_ID:"
"$TEMPORAL" workflow list --address "127.0.0.1:$T_PORT" --query "WorkflowId = '$WORKFLOW_ID'" | sed 's/^/[smoke]   /'

for _ in $(seq 1 60); do
  STATE=$(curl -s "$API/v1/ping/$ID")
  if grep -q '"status":"completed"' <<<"$STATE"; then DONE=1; break; fi
  sleep 1
done
[[ -n "${DONE:-}" ]] || fail "ping $ID did not complete: $STATE"
say "GET /v1/ping/$ID → $STATE"

say "Ctrl-C (SIGINT to the process group)…"
kill -INT -- "-$PGID"
# npm may return before its script has finished stopping (it answers the signal itself), so wait
# for the whole process group, as a terminal user would see the last line, "stopped.".
for _ in $(seq 1 120); do
  pgrep -g "$PGID" >/dev/null 2>&1 || break
  sleep 1
done
if pgrep -g "$PGID" >/dev/null 2>&1; then fail "still running 120s after SIGINT: $(pgrep -a -g "$PGID" | head -5)"; fi
wait "$PID" && RC=0 || RC=$?
say "npm start exited with $RC; its process group is gone"
grep -q "tick failed\|Unable to acquire a connection" "$LOG" && say "WARN: something still used PostgreSQL after it was closed (see the log)"
grep -q "stopped." "$LOG" || fail "npm start did not report a clean stop"

sleep 1
LEFT=$(listening)
[[ -z "$LEFT" ]] || fail "still listening after Ctrl-C on: $(tr '\n' ' ' <<<"$LEFT")"
# shellcheck disable=SC2009
STRAY=$(ps -eo pid=,args= | grep -F "$DATA" | grep -v grep || true)
[[ -z "$STRAY" ]] || fail "processes left behind: $STRAY"
# npm itself answers a Ctrl-C with 130 (128 + SIGINT) once its script has stopped; anything else is a failure.
[[ "$RC" == 0 || "$RC" == 130 ]] || fail "npm start exited with $RC"
say "PASS: ready in time, workflow visible in Temporal, nothing listening on ${PORTS[*]} after Ctrl-C"
