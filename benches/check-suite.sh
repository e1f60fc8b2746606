#!/usr/bin/env bash
# How long the whole default `dsync check` suite takes against a prompt local
# receiver (the budget is 10 s), RUNS times against each of two receivers:
#   - `dsync listen --reject-invalid --no-save` (Rust, verifies signatures),
#   - the handbook quickstart in Python (ThreadingHTTPServer, answers 200).
# Prints min / median / max wall time and the ratio of the median to the budget.
# Usage: benches/check-suite.sh [RUNS]   (needs python3)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-10}"
BUDGET_MS=10000
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

cargo build --release --quiet --bin dsync
DSYNC="$PWD/target/release/dsync"
SECRET=benchsecret

"$DSYNC" --json listen --port 0 --no-save --reject-invalid --secret "$SECRET" >"$WORK/listen.out" 2>/dev/null &
PIDS+=($!)

cat >"$WORK/quickstart.py" <<'PY'
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Quickstart(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args): pass
server = ThreadingHTTPServer(("127.0.0.1", 0), Quickstart)
print(f"http://127.0.0.1:{server.server_address[1]}/webhooks", flush=True)
server.serve_forever()
PY
python3 "$WORK/quickstart.py" >"$WORK/quickstart.out" &
PIDS+=($!)

wait_line() { for _ in $(seq 100); do [ -s "$1" ] && return; sleep 0.05; done; echo "no ready line in $1" >&2; exit 1; }
wait_line "$WORK/listen.out"
wait_line "$WORK/quickstart.out"
LISTEN_URL="$(head -1 "$WORK/listen.out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])')webhooks"
QUICK_URL="$(head -1 "$WORK/quickstart.out")"

measure() {
  local name="$1" url="$2" times=() rc=0
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s%N)
    rc=0; "$DSYNC" -q check "$url" --secret "$SECRET" >"$WORK/last.txt" || rc=$?
    end=$(date +%s%N)
    # 0 (all pass) or 1 (cases failed) are runs of the whole suite; anything else is not.
    [ "$rc" -le 1 ] || { echo "$name: dsync check exited $rc" >&2; exit 1; }
    times+=($(( (end - start) / 1000000 )))
  done
  echo "$name: $(tail -1 "$WORK/last.txt")"
  printf '%s\n' "${times[@]}" | sort -n | python3 -c '
import sys
name, budget = sys.argv[1], int(sys.argv[2])
t = [int(x) for x in sys.stdin.read().split()]
med = t[len(t) // 2]
print(f"{name:28} runs {len(t):3}  min {t[0]:5} ms  median {med:5} ms  max {t[-1]:5} ms  median/budget {med / budget:.3f}")
' "$name" "$BUDGET_MS"
}

echo "dsync check, whole default suite (40 cases, 36 run without --state-cmd), budget ${BUDGET_MS} ms"
measure "dsync listen (Rust)" "$LISTEN_URL"
measure "quickstart (Python)" "$QUICK_URL"
