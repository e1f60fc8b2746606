#!/usr/bin/env bash
# `dsync simulate onboarding` end to end: the in-process directory driven as
# Okta over SCIM, every event delivered (signed) to a local `dsync listen`.
# Prints wall time, SCIM requests/s, events delivered/s and dsync's peak
# memory for SMALL and LARGE users (memory should follow the directory, not
# the number of events: the LARGE/SMALL memory ratio should stay far below
# the users ratio). Target: 10,000 users and 20 groups in under 10 s on 2 cores.
# Usage: benches/simulate-onboarding.sh [LARGE] [SMALL] [GROUPS]   (defaults 10000 1000 20)
# Needs: cargo, GNU time (/usr/bin/time). Installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
LARGE="${1:-10000}"
SMALL="${2:-1000}"
NGROUPS="${3:-20}"
SECRET="bench-secret-$$"

[ -x /usr/bin/time ] || { echo "missing /usr/bin/time: install GNU time, e.g. apt-get install time" >&2; exit 1; }

WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

cargo build --release --quiet --bin dsync
DSYNC="$PWD/target/release/dsync"

run() { # users
  local users="$1" store="$WORK/listen-$1"
  # listen's first NDJSON line is `ready` with its URL: the readiness signal.
  mkfifo "$WORK/ready-$users"
  (cd "$WORK" && exec "$DSYNC" listen --port 0 --json --quiet --secret "$SECRET" --store "$store") \
    >"$WORK/ready-$users" & PIDS+=($!)
  local listen_pid=$!
  exec 3<"$WORK/ready-$users"
  read -r READY <&3
  local url
  url=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["url"])' "$READY" 2>/dev/null \
    || sed -E 's/.*"url":"([^"]+)".*/\1/' <<<"$READY")
  cat <&3 >/dev/null & PIDS+=($!)
  (cd "$WORK" && /usr/bin/time -f "%e %M" -o "$WORK/time-$users" \
    "$DSYNC" simulate onboarding --users "$users" --groups "$NGROUPS" --seed 1 \
      --url "${url%/}/directory-sync" --secret "$SECRET" --no-save --json) >"$WORK/report-$users.json"
  kill "$listen_pid" 2>/dev/null || true
  read -r secs rss_kb <"$WORK/time-$users"
  python3 - "$WORK/report-$users.json" "$users" "$secs" "$rss_kb" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
users, secs, rss = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
events = r.get("events", {}).get("total", 0)
d = r.get("deliveries", {})
print(f"{users:>7} users: {secs:6.2f} s wall, {r['scim']['sent']} SCIM requests ({r['scim']['sent']/secs:,.0f}/s), "
      f"{events} events delivered ({events/secs:,.0f}/s), delivery p50 {d.get('latency_ms',{}).get('p50')} ms "
      f"p99 {d.get('latency_ms',{}).get('p99')} ms, peak RSS {rss/1024:.1f} MiB, exit {r['exit']}")
PY
  echo "$rss_kb" >"$WORK/rss-$users"
}

echo "== simulate onboarding --groups $NGROUPS, delivered to dsync listen (machine: $(nproc) cores)"
run "$SMALL"
run "$LARGE"
python3 - "$(cat "$WORK/rss-$SMALL")" "$(cat "$WORK/rss-$LARGE")" "$SMALL" "$LARGE" <<'PY'
import sys
small, large, su, lu = map(int, sys.argv[1:])
print(f"memory ratio {lu // su}x the users: {large / small:.2f}x the peak RSS")
PY
