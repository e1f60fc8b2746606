#!/usr/bin/env bash
# Side by side, in one run, on the disk (not tmpfs): what saving costs `dsync
# listen` with the SQLite store, against its own --no-save rate and against
# the old one-file-per-capture store (the build of fa8da94), at 16 and 64
# connections; then the readers over a 100,000-capture store with a cold
# cache, and the open time of a 1,000,000-capture store. After each saving
# run: the WAL the burst left behind, and how long the next command (events
# list --limit 1) then takes to open the store. Beside each rate, the CPU of
# the whole machine per event (wrk's included): the ratios end with what
# saving adds to each event, in time and in CPU.
#
# Usage: benches/store-compare.sh [SECONDS_PER_RUN] [READ_N] [OPEN_N]
#   defaults 10, 100000, 1000000. OLD_DSYNC=path uses that binary as the old
#   file store (default: built from fa8da94 in a temporary git worktree, into
#   target/bench-old); OLD_DSYNC=none skips it. BASE_DSYNC=path also runs that
#   build's SQLite store beside this one's (sqlite-base: an earlier commit, to
#   compare a change side by side). BENCH_DIR=dir puts the stores
#   there (default: a temporary folder under ./target, on the disk). NICE=-10
#   runs the listeners at that priority (root), to see the figures a less
#   crowded machine gives; READ_N=0 / OPEN_N=0 skip the reader parts.
# Needs: wrk (apt-get install -y wrk), python3, git; root for a cold cache
# (echo 3 > /proc/sys/vm/drop_caches), else the read figures are warm.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-10}"
READ_N="${2:-100000}"
OPEN_N="${3:-1000000}"
ROOT="$PWD"
for tool in wrk python3 git; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install -y $tool)" >&2; exit 2; }
done
mkdir -p target
WORK="${BENCH_DIR:-$(mktemp -d "$ROOT/target/store-bench.XXXXXX")}"
mkdir -p "$WORK"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"
  [ -z "${OLD_TREE:-}" ] || git worktree remove --force "$OLD_TREE" 2>/dev/null || true
}
trap cleanup EXIT

FS=$(df -T "$WORK" | awk 'NR==2 {print $2}')
echo "== stores in $WORK (file system: $FS)"
[ "$FS" != tmpfs ] || echo "   warning: tmpfs is not a disk; the figures will flatter every store"
echo "   machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

cargo build --release --quiet --bin dsync
DSYNC="$ROOT/target/release/dsync"
OLD="${OLD_DSYNC:-}"
if [ -z "$OLD" ]; then
  OLD_TREE="$WORK/old-src"
  git worktree add --detach --quiet "$OLD_TREE" fa8da94
  (cd "$OLD_TREE" && cargo build --release --quiet --bin dsync --target-dir "$ROOT/target/bench-old")
  OLD="$ROOT/target/bench-old/release/dsync"
fi
[ "$OLD" != none ] || OLD=""

# A 1 KiB JSON event (unsigned: this measures the store, not HMAC).
pad=$(head -c 850 /dev/zero | tr '\0' 'x')
printf '%s' "{\"code\":\"dir_sync.user.update.success\",\"data\":{\"resource\":{\"type\":\"user\",\"id\":\"u_1\",\"email\":\"ada@example.com\"},\"pad\":\"$pad\"}}" >"$WORK/body.json"
cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
local f = io.open("$WORK/body.json", "rb"); wrk.body = f:read("*a"); f:close()
wrk.headers["Content-Type"] = "application/json"
LUA

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
cold() {
  sync
  if echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then echo cold; else echo warm; fi
}
ms() { python3 -c 'import sys,time,subprocess; t=time.perf_counter(); subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True); print(f"{(time.perf_counter()-t)*1000:.1f}")' "$@"; }
max_rss_mb() { python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)' "$@"; }

declare -A RATE CPU
# Busy time of the whole machine (every core, listener and wrk alike), in
# jiffies of 1/100 s: user, nice, system, irq, softirq, steal.
busy_jiffies() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
# name, binary, connections, listen flags...
measure() {
  local name=$1 bin=$2 conns=$3; shift 3
  local port; port=$(free_port)
  ${NICE:+nice -n "$NICE"} "$bin" listen --json --compact --port "$port" --store "$WORK/store-$name-$conns" "$@" >/dev/null 2>"$WORK/$name-$conns.err" &
  local pid=$!; PIDS+=("$pid"); wait_port "$port"
  local busy0; busy0=$(busy_jiffies)
  local out; out=$(wrk -t2 -c"$conns" -d"${SECS}s" --latency -s "$WORK/post.lua" "http://127.0.0.1:$port/")
  local busy1; busy1=$(busy_jiffies)
  local store="$WORK/store-$name-$conns" after=""
  # What a burst leaves behind: the WAL, which the next command to open the
  # store reads (and checkpoints) before it answers.
  if [ -f "$store/dsync.db-wal" ]; then after="WAL $(( $(stat -c %s "$store/dsync.db-wal") >> 20 )) MB"; fi
  kill -INT "$pid"; wait "$pid" 2>/dev/null || true
  if [ -n "$after" ]; then
    local state; state=$(cold)
    after="$after, then events list --limit 1: $(ms "$bin" events list --limit 1 --store "$store") ms ($state)"
  fi
  local rps non2xx p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  RATE[$name-$conns]=$rps
  local total; total=$(echo "$out" | awk '/requests in/ {print $1}')
  CPU[$name-$conns]=$(( (busy1 - busy0) * 10000 / (${total:-0} > 0 ? total : 1) ))
  printf "   %-26s c=%-3s %10.0f events/s  p99 %-9s CPU %3s µs/event  %s%s\n" "$name" "$conns" "$rps" "$p99" "${CPU[$name-$conns]}" "${non2xx:+non-2xx: $non2xx }" "$after"
}

for c in 16 64; do
  echo "== listen --json, ${SECS}s per run, $c connections, 1 KiB bodies"
  measure no-save "$DSYNC" "$c" --no-save
  measure sqlite "$DSYNC" "$c"
  [ -z "${BASE_DSYNC:-}" ] || measure sqlite-base "$BASE_DSYNC" "$c"
  measure sqlite-fsync "$DSYNC" "$c" --fsync
  if [ -n "$OLD" ]; then
    measure files-fa8da94 "$OLD" "$c"
    measure files-fa8da94-fsync "$OLD" "$c" --fsync
  fi
done

echo
echo "== ratios to listen --no-save; what saving adds to each event, in time (1/rate) and in"
echo "   CPU of the whole machine (wrk's included); and the ratio of the CPU each event costs,"
echo "   which bounds the rate ratio when the cores are as busy in both runs"
for c in 16 64; do
  for name in sqlite sqlite-base sqlite-fsync files-fa8da94 files-fa8da94-fsync; do
    [ -n "${RATE[$name-$c]:-}" ] || continue
    awk -v n="$name" -v c="$c" -v r="${RATE[$name-$c]}" -v b="${RATE[no-save-$c]}" \
      -v cpu="${CPU[$name-$c]}" -v cpub="${CPU[no-save-$c]}" \
      'BEGIN { printf "   %-26s c=%-3s %.2fx  adds %5.1f µs/event, CPU %+d µs/event; CPU ratio %.2fx\n",
               n, c, r / b, 1e6 / r - 1e6 / b, cpu - cpub, cpub / cpu }'
  done
done

# A bundle of N captures, a quarter of them group events, with fixed ids.
bundle() { # n, body pad bytes, file
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
n, pad, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
codes = ["dir_sync.user.update.success", "dir_sync.user.provision.success",
         "dir_sync.group.update.success", "dir_sync.user.deprovision.success"]
with open(path, "w") as f:
    for i in range(n):
        code = codes[i % 4]
        kind = "group" if ".group." in code else "user"
        body = json.dumps({"code": code, "data": {"resource": {"type": kind, "id": f"r_{i}",
                "email": f"person{i}@corp.example"}}, "pad": "x" * pad}, separators=(",", ":"))
        t = 1764000000 + i
        stamp = f"2025-11-24T{(t // 3600) % 24:02d}:{(t // 60) % 60:02d}:{t % 60:02d}.{i % 1000000:06d}Z"
        c = {"format": 1, "id": f"20251124T000000.000000Z-{i:010d}", "received_at": stamp,
             "method": "POST", "path": "/directory-sync",
             "headers": [["content-type", "application/json"]], "size": len(body),
             "body": {"encoding": "utf8", "data": body},
             "verification": {"status": "valid", "scheme": "cryptr"}, "response": {"status": 200}}
        f.write(json.dumps(c, separators=(",", ":")) + "\n")
PY
}

[ "$READ_N" -gt 0 ] || { echo; echo "(readers skipped)"; READ_SKIP=1; }
if [ -z "${READ_SKIP:-}" ]; then
echo
echo "== readers over $READ_N captures (events import of a bundle, then queries)"
bundle "$READ_N" 900 "$WORK/read.ndjson"
"$DSYNC" events import --store "$WORK/read" "$WORK/read.ndjson" 2>/dev/null
echo "   database: $(du -sh "$WORK/read" | cut -f1)"
ID=$(sed -n "$((READ_N / 2))p" "$WORK/read.ndjson" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
set -f # the globs below are dsync's, not the shell's
for what in "events list --event dir_sync.group.*" "events list --event dir_sync.group.* --limit 0" \
  "events list --resource person4242@" "events list --search person4242@corp.example" "events show $ID"; do
  # shellcheck disable=SC2086
  state=$(cold); t=$(ms "$DSYNC" $what --store "$WORK/read")
  # shellcheck disable=SC2086
  w=$(ms "$DSYNC" $what --store "$WORK/read")
  printf "   %-52s %8s ms (%s)  %8s ms (warm)\n" "$what" "$t" "$state" "$w"
done
set +f
# What every command pays before it reads anything: loading the binary.
state=$(cold); t=$(ms "$DSYNC" --version)
printf "   %-52s %8s ms (%s)  %8s ms (warm)\n" "dsync --version (for scale: no store)" "$t" "$state" "$(ms "$DSYNC" --version)"
fi

if [ "$OPEN_N" -gt 0 ]; then
echo
echo "== a store of $OPEN_N captures (small bodies)"
bundle "$OPEN_N" 100 "$WORK/open.ndjson"
rss=$(max_rss_mb "$DSYNC" events import --store "$WORK/open" "$WORK/open.ndjson")
echo "   events import: peak memory $rss MB (bundle $(du -sh "$WORK/open.ndjson" | cut -f1), database $(du -sh "$WORK/open" | cut -f1))"
rm -f "$WORK/open.ndjson"
state=$(cold); t=$(ms "$DSYNC" events list --limit 1 --store "$WORK/open")
echo "   open + newest row (dsync events list --limit 1): $t ms ($state), $(ms "$DSYNC" events list --limit 1 --store "$WORK/open") ms (warm)"
rss=$(max_rss_mb "$DSYNC" events export --store "$WORK/open" --out -)
echo "   events export of all $OPEN_N to stdout: peak memory $rss MB"
fi
echo
echo "(a shared machine gives noisy figures: compare the ratios within one run)"
