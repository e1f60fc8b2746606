#!/usr/bin/env bash
# Side by side: `dsync listen` capture throughput (verification + saving on,
# 1 KiB signed bodies, 16 connections, wrk) against the Express quickstart
# receiver, the cost of --fsync, and the latency --forward-to adds.
# Usage: benches/listen-compare.sh [DURATION_SECONDS]   (needs wrk, node, npm, openssl)
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-10}"
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

cargo build --release --quiet --bin dsync
DSYNC="$PWD/target/release/dsync"
SECRET=benchsecret

# A 1 KiB JSON event, signed once with a fixed timestamp (tolerance disabled).
pad=$(head -c 900 /dev/zero | tr '\0' 'x')
BODY="{\"code\":\"dir_sync.user.update.success\",\"data\":{\"email\":\"a@example.com\",\"pad\":\"$pad\"}}"
printf '%s' "$BODY" >"$WORK/body.json"
T=1764300000
SIG=$(printf '%s' "$T.$BODY" | openssl dgst -sha256 -hmac "$SECRET" -hex | awk '{print $NF}')
cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
local f = io.open("$WORK/body.json", "rb"); wrk.body = f:read("*a"); f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cryptr-Signature"] = "t=$T,v1=sha256.$SIG"
LUA

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
rps() { awk '/Requests\/sec/ {print $2}'; }
run_wrk() { wrk -t2 -c16 -d"${SECS}s" --latency -s "$WORK/post.lua" "$1"; }

start_dsync() { # port, store, extra args...
  local port=$1 store=$2; shift 2
  "$DSYNC" listen --port "$port" --store "$store" --secret "$SECRET" --no-tolerance --compact "$@" >/dev/null 2>&1 &
  PIDS+=($!); wait_port "$port"
}

echo "== dsync listen (verify + save), ${SECS}s, 16 connections, 1 KiB bodies"
P=$(free_port); start_dsync "$P" "$WORK/store1"
OUT=$(run_wrk "http://127.0.0.1:$P/"); echo "$OUT" | grep -E "Requests/sec|50%|99%|Non-2xx" || true
DSYNC_RPS=$(echo "$OUT" | rps)
echo "   files saved: $(ls "$WORK/store1" | wc -l)"
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

echo "== dsync listen --fsync"
P=$(free_port); start_dsync "$P" "$WORK/store2" --fsync
OUT=$(run_wrk "http://127.0.0.1:$P/"); echo "$OUT" | grep -E "Requests/sec|50%|99%" || true
FSYNC_RPS=$(echo "$OUT" | rps)
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

echo "== Express quickstart receiver (express.json() + console.log(event))"
mkdir -p "$WORK/express"
(cd "$WORK/express" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund express@4 >/dev/null)
cat >"$WORK/express/server.js" <<'JS'
const express = require("express");
const app = express();
app.post("*", express.json(), (req, res) => { console.log(req.body); res.json({ received: true }); });
app.listen(process.env.PORT, "127.0.0.1");
JS
P=$(free_port); (cd "$WORK/express" && PORT=$P exec node server.js >/dev/null) & PIDS+=($!); wait_port "$P"
OUT=$(run_wrk "http://127.0.0.1:$P/"); echo "$OUT" | grep -E "Requests/sec|50%|99%" || true
EXPRESS_RPS=$(echo "$OUT" | rps)

echo "== --forward-to latency (to the Express app above; wrk, 1 connection)"
AP=$P
P=$(free_port); start_dsync "$P" "$WORK/store3"
DIRECT=$(wrk -t1 -c1 -d"${SECS}s" --latency -s "$WORK/post.lua" "http://127.0.0.1:$AP/")
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
P=$(free_port); start_dsync "$P" "$WORK/store4" --forward-to "http://127.0.0.1:$AP/"
VIA=$(wrk -t1 -c1 -d"${SECS}s" --latency -s "$WORK/post.lua" "http://127.0.0.1:$P/")
echo "   app direct:      p50 $(echo "$DIRECT" | awk '$1=="50%"{print $2}')  p99 $(echo "$DIRECT" | awk '$1=="99%"{print $2}')"
echo "   via dsync:       p50 $(echo "$VIA" | awk '$1=="50%"{print $2}')  p99 $(echo "$VIA" | awk '$1=="99%"{print $2}')"

echo
echo "== Summary"
awk -v d="$DSYNC_RPS" -v f="$FSYNC_RPS" -v e="$EXPRESS_RPS" 'BEGIN {
  printf "dsync listen      %10.0f events/s\n", d
  printf "dsync --fsync     %10.0f events/s  (%.1fx slower)\n", f, d/f
  printf "express receiver  %10.0f events/s\n", e
  printf "dsync / express   %10.1fx\n", d/e
}'
