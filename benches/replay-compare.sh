#!/usr/bin/env bash
# Side by side, in one run: `dsync replay` throughput (signing on, concurrency
# 32) against wrk (32 connections) hitting the same no-op receiver for the same
# duration, and dsync's peak memory replaying 10,000 versus 100,000 captures
# (a directory is streamed, so both should be about the same).
# Usage: benches/replay-compare.sh [SMALL] [LARGE]   (defaults 10000 100000)
# Needs: cargo, wrk, python3, GNU time (/usr/bin/time). Installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL="${1:-10000}"
LARGE="${2:-100000}"
CONC=32

missing=0
need() { command -v "$1" >/dev/null 2>&1 || { echo "missing $1: $2" >&2; missing=1; }; }
need wrk "install it, e.g. apt-get install wrk"
need python3 "install Python 3, e.g. apt-get install python3"
[ -x /usr/bin/time ] || { echo "missing /usr/bin/time: install GNU time, e.g. apt-get install time" >&2; missing=1; }
[ "$missing" = 0 ] || exit 1

WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

cargo build --release --quiet --bin dsync --example noop_receiver
DSYNC="$PWD/target/release/dsync"
RECEIVER="$PWD/target/release/examples/noop_receiver"

# The no-op receiver prints its URL when it is listening: that line is the readiness signal.
mkfifo "$WORK/ready"
"$RECEIVER" >"$WORK/ready" & PIDS+=($!)
read -r URL <"$WORK/ready"
echo "no-op receiver at $URL"

# Realistic bodies (every documented code) written as capture files named like the store's.
"$DSYNC" send-test --all --print --seed 1 --now 2024-03-22T17:14:27Z >"$WORK/bodies.ndjson"
make_captures() { # count, dir
  python3 - "$WORK/bodies.ndjson" "$1" "$2" <<'PY'
import json, os, sys
bodies = [l.rstrip("\n") for l in open(sys.argv[1]) if l.strip()]
count, out = int(sys.argv[2]), sys.argv[3]
os.makedirs(out, exist_ok=True)
for i in range(count):
    body = bodies[i % len(bodies)]
    code = json.loads(body)["code"]
    s, us = divmod(i, 1000000)
    cid = "20240322T1714%02d.%06dZ-%06d0000" % (s % 60, us, i % 1000000)
    cap = {"format": 1, "id": cid, "received_at": "2024-03-22T17:14:%02d.%06dZ" % (s % 60, us),
           "method": "POST", "path": "/directory-sync",
           "headers": [["content-type", "application/json"]], "size": len(body.encode()),
           "body": {"encoding": "utf8", "data": body}}
    with open(os.path.join(out, "%s-%s.json" % (cid, code)), "w") as f:
        json.dump(cap, f, indent=2)
PY
}
echo "generating $SMALL and $LARGE capture files..."
make_captures "$SMALL" "$WORK/small"
make_captures "$LARGE" "$WORK/large"

replay() { # dir -> JSON report on stdout, GNU time's report in $WORK/time
  /usr/bin/time -v -o "$WORK/time" "$DSYNC" replay "$1" --url "$URL" --secret benchsecret \
    --concurrency "$CONC" --json -q
}
rss_kb() { awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time"; }
field() { python3 -c 'import json,sys; r=json.load(sys.stdin); print(eval("r"+sys.argv[1]))' "$1"; }

echo "== dsync replay $SMALL captures (signing on, concurrency $CONC)"
SMALL_REPORT=$(replay "$WORK/small"); SMALL_RSS=$(rss_kb)
echo "   $SMALL_REPORT"
echo "== dsync replay $LARGE captures (signing on, concurrency $CONC)"
LARGE_REPORT=$(replay "$WORK/large"); LARGE_RSS=$(rss_kb)
echo "   $LARGE_REPORT"
DSYNC_RPS=$(echo "$LARGE_REPORT" | field '["per_second"]')
SECS=$(echo "$LARGE_REPORT" | field '["elapsed_s"]' | awk '{s=int($1+0.5); print (s<1?1:s)}')
OK=$(echo "$LARGE_REPORT" | field '["status"]["2xx"]')

# wrk posts one of the same bodies with a (static) signature header, same connection count.
head -n 1 "$WORK/bodies.ndjson" | tr -d '\n' >"$WORK/body.json"
cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
local f = io.open("$WORK/body.json", "rb"); wrk.body = f:read("*a"); f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cryptr-Signature"] = "t=1711127667,v1=sha256.0000000000000000000000000000000000000000000000000000000000000000"
LUA
echo "== wrk -t2 -c$CONC -d${SECS}s against the same receiver"
WRK_OUT=$(wrk -t2 -c"$CONC" -d"${SECS}s" --latency -s "$WORK/post.lua" "$URL")
echo "$WRK_OUT" | grep -E "Requests/sec|50%|90%|99%" || true
WRK_RPS=$(echo "$WRK_OUT" | awk '/Requests\/sec/ {print $2}')

echo
echo "== Summary"
awk -v d="$DSYNC_RPS" -v w="$WRK_RPS" -v ok="$OK" -v n="$LARGE" -v s="$SMALL" \
    -v rs="$SMALL_RSS" -v rl="$LARGE_RSS" 'BEGIN {
  printf "dsync replay      %10.0f deliveries/s  (%d of %d answered 2xx)\n", d, ok, n
  printf "wrk               %10.0f requests/s\n", w
  printf "dsync / wrk       %10.2f\n", d/w
  printf "peak RSS %7d captures  %8.1f MiB\n", s, rs/1024
  printf "peak RSS %7d captures  %8.1f MiB  (%.2fx)\n", n, rl/1024, rl/rs
}'
