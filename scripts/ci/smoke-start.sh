#!/usr/bin/env bash
# The README's first promise: `npm start` on a fresh checkout serves /health/live on SQLite, migrated on first
# start, and Ctrl-C (SIGINT) exits 0. Prints how long the process took to answer.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")

cd "$work"
t0=$(date +%s%N)
PORT=$port node "$root/bin/inkstone.js" serve > "$work/out.log" 2>&1 &
pid=$!
for _ in $(seq 1 200); do
  if curl -fsS "http://127.0.0.1:$port/health/live" >/dev/null 2>&1; then break; fi
  sleep 0.025
done
t1=$(date +%s%N)
curl -fsS "http://127.0.0.1:$port/health/live" >/dev/null || { cat "$work/out.log"; echo "smoke: /health/live never answered" >&2; exit 1; }
[ -f "$work/storage/inkstone.sqlite" ] || { echo "smoke: storage/inkstone.sqlite was not created" >&2; exit 1; }
kill -INT $pid
set +e; wait $pid; code=$?; set -e
[ $code -eq 0 ] || { cat "$work/out.log"; echo "smoke: exit code $code after SIGINT (expected 0)" >&2; exit 1; }
echo "smoke: /health/live answered $(( (t1 - t0) / 1000000 )) ms after the process started; SIGINT exit code 0"
