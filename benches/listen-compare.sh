#!/usr/bin/env bash
# Side by side, saving off: bare no-op servers (tiny_http, hyper, dsync's
# server layer) and `dsync listen --no-save` in every output mode (human,
# --json, --compact, -q), at 16 and 64 connections, each on a fresh
# listener: its first seconds, then steady state. Then a burst of 64 new
# connections against a fresh listener, listen with saving on (and
# --fsync), and the Express quickstart receiver and --forward-to latency
# when node is installed. 1 KiB signed JSON bodies, wrk -t1.
# Targets (issue 17): >= 20,000 events/s and >= 0.6x the bare servers,
# p99 <= 10 ms (c=16) / <= 25 ms (c=64) in every mode, first seconds included;
# the 64-connection burst all answered within 50 ms.
#
# Usage: benches/listen-compare.sh [STEADY_SECONDS] [FIRST_SECONDS]   (needs wrk, python3, openssl)
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-10}"
FIRST="${2:-3}"
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

cargo build --release --quiet --bin dsync
DSYNC="$PWD/target/release/dsync"
NOOP=$(cargo bench --quiet --no-run --bench noop-servers --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m["target"]["name"]=="noop-servers" and m.get("executable"): print(m["executable"])')
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
wait_port() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
stop_last() { kill "${PIDS[-1]}" 2>/dev/null || true; wait "${PIDS[-1]}" 2>/dev/null || true; }
# wrk's summary as "req/s p50_ms p99_ms non2xx"
measure() { # url connections seconds
  wrk -t1 -c"$2" -d"$3s" --latency -s "$WORK/post.lua" "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ {r=$2} $1=="50%" {p50=ms($2)} $1=="99%" {p99=ms($2)} /Non-2xx/ {bad=$NF}
    END {printf "%.0f %.2f %.2f %d\n", r, p50, p99, bad}'
}
ROWS="$WORK/rows"
: >"$ROWS"
row() { printf '%-34s %4s %-6s %9s %8s %8s %6s\n' "$@" | tee -a "$ROWS"; }
header() { printf '%-34s %4s %-6s %9s %8s %8s %6s\n' what c phase "req/s" "p50 ms" "p99 ms" "non2xx"; }

start_noop() { # kind port
  "$NOOP" "$1" "$2" >/dev/null 2>&1 & PIDS+=($!); wait_port "$2"
}
start_listen() { # port "global flags" "listen flags"; stdout read through a pipe, as a script or terminal would
  # shellcheck disable=SC2086
  "$DSYNC" $2 listen --port "$1" --secret "$SECRET" --no-tolerance $3 2>/dev/null > >(cat >/dev/null) & PIDS+=($!)
  wait_port "$1"
}
stop_listen() { kill -INT "${PIDS[-1]}" 2>/dev/null || true; wait "${PIDS[-1]}" 2>/dev/null || true; }

echo "== ${SECS}s steady runs after a ${FIRST}s first run on each fresh server; 1 KiB signed bodies; wrk -t1"
header
for c in 16 64; do
  for kind in tiny hyper dsync; do
    P=$(free_port); start_noop "$kind" "$P"
    read -r r p50 p99 bad < <(measure "http://127.0.0.1:$P/" "$c" "$FIRST"); row "bare $kind no-op" "$c" first "$r" "$p50" "$p99" "$bad"
    read -r r p50 p99 bad < <(measure "http://127.0.0.1:$P/" "$c" "$SECS"); row "bare $kind no-op" "$c" steady "$r" "$p50" "$p99" "$bad"
    stop_last
  done
  for mode in human --json --compact -q; do
    case $mode in human) g=""; f="--no-save";; --compact) g=""; f="--no-save --compact";; *) g="$mode"; f="--no-save";; esac
    P=$(free_port); start_listen "$P" "$g" "$f"
    read -r r p50 p99 bad < <(measure "http://127.0.0.1:$P/" "$c" "$FIRST"); row "listen --no-save $mode" "$c" first "$r" "$p50" "$p99" "$bad"
    read -r r p50 p99 bad < <(measure "http://127.0.0.1:$P/" "$c" "$SECS"); row "listen --no-save $mode" "$c" steady "$r" "$p50" "$p99" "$bad"
    stop_listen
  done
done

echo
echo "== saving on (SQLite store), --json, 16 connections"
for extra in "" --fsync; do
  P=$(free_port); start_listen "$P" --json "--store $WORK/store$extra $extra"
  read -r r p50 p99 bad < <(measure "http://127.0.0.1:$P/" 16 "$SECS"); row "listen --json (saving) $extra" 16 steady "$r" "$p50" "$p99" "$bad"
  stop_listen
done

echo
echo "== a burst of 64 new connections against a fresh listener (each: connect, POST, answer)"
burst() { # port
  python3 - "$1" "$WORK/body.json" <<'PY'
import socket, sys, threading, time
port, body = int(sys.argv[1]), open(sys.argv[2], "rb").read()
req = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(body) + body
go, times, bad = threading.Barrier(64), [], []
def one():
    go.wait(); t = time.perf_counter()
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(req); data = b""
    while True:
        d = s.recv(65536)
        if not d: break
        data += d
    times.append((time.perf_counter() - t) * 1000)
    if not data.startswith(b"HTTP/1.1 200"): bad.append(data[:40])
ts = [threading.Thread(target=one) for _ in range(64)]
[t.start() for t in ts]; [t.join() for t in ts]
times.sort()
print("%d/64 answered 200; median %.1f ms, slowest %.1f ms" % (64 - len(bad), times[32], times[-1]))
PY
}
for kind in tiny hyper; do
  P=$(free_port); start_noop "$kind" "$P"; printf '%-28s ' "bare $kind no-op:"; burst "$P"; stop_last
done
for mode in --json human; do
  P=$(free_port)
  if [ "$mode" = human ]; then start_listen "$P" "" --no-save; else start_listen "$P" --json --no-save; fi
  printf '%-28s ' "listen --no-save $mode:"; burst "$P"; stop_listen
done

echo
echo "== Ratios (steady state): listen / bare, per mode and connections"
awk '$1=="bare" && $5=="steady" {bare[$2" "$4]=$6}
     $1=="listen" && $5=="steady" && $2=="--no-save" {
       mode=$3; c=$4; r=$6; p99=$8
       target = (c==16) ? 10 : 25
       printf "listen %-10s c=%-3s %8.0f events/s  %.2fx tiny_http  %.2fx hyper  %.2fx dsync-layer  p99 %s ms (target %d)\n", mode, c, r, r/bare["tiny "c], r/bare["hyper "c], r/bare["dsync "c], p99, target }' "$ROWS"

# Cryptr's quickstart receiver and the cost of --forward-to (needs node and npm; set NO_EXPRESS=1 to skip).
if [ -z "${NO_EXPRESS:-}" ] && command -v npm >/dev/null; then
  echo
  echo "== Express quickstart receiver (express.json() + console.log(event)), 16 connections"
  mkdir -p "$WORK/express"
  (cd "$WORK/express" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund express@4 >/dev/null)
  cat >"$WORK/express/server.js" <<'JS'
const express = require("express");
const app = express();
app.post("*", express.json(), (req, res) => { console.log(req.body); res.json({ received: true }); });
app.listen(process.env.PORT, "127.0.0.1");
JS
  AP=$(free_port); (cd "$WORK/express" && PORT=$AP exec node server.js >/dev/null) & PIDS+=($!); wait_port "$AP"
  read -r r p50 p99 bad < <(measure "http://127.0.0.1:$AP/" 16 "$SECS"); row "express quickstart" 16 steady "$r" "$p50" "$p99" "$bad"
  echo "== --forward-to latency (1 connection): the Express app direct, then through listen (verify + save + forward)"
  read -r r p50 p99 bad < <(measure "http://127.0.0.1:$AP/" 1 "$SECS"); row "express direct" 1 steady "$r" "$p50" "$p99" "$bad"
  P=$(free_port); start_listen "$P" "" "--compact --store $WORK/fwd --forward-to http://127.0.0.1:$AP/"
  read -r r p50 p99 bad < <(measure "http://127.0.0.1:$P/" 1 "$SECS"); row "listen --forward-to express" 1 steady "$r" "$p50" "$p99" "$bad"
  stop_listen
fi
