#!/usr/bin/env bash
# Runs every benchmark one after another (they each start their own stack); each prints one JSON
# line, collected in bench/out/results.jsonl. Benchmarks are measurements, not tests: none fails
# because the machine is slow. Pass names to run a subset: bash bench/run-all.sh transcode auth
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
all=(start-throughput auth transcode starkbank-webhooks split-saga subscriptions shoutout-e2e alerts web engagement content-publishing)
names=("$@")
((${#names[@]})) || names=("${all[@]}")
for name in "${names[@]}"; do
  echo "::: bench/$name" >&2
  line=$(npx tsx "bench/$name.ts" | tail -n 1)
  echo "$line"
  printf '{"bench":"%s","at":"%s","result":%s}\n' "$name" "$(date -u +%FT%TZ)" "${line:-null}" >> bench/out/results.jsonl
done
