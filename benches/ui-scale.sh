#!/usr/bin/env bash
# The inspector over a large store: fill a store with N captures (default
# 10,000) through a real listener, then time what a person waits for: the
# first page of the list with its counts, a full-text search, one capture's
# detail, and the page itself in headless chromium (navigation → the list and
# "N of M shown" on screen).
#
#   benches/ui-scale.sh [N]          DSYNC_BIN=target/release/dsync to use a release build
#
# Needs python3; chromium + chromedriver for the page figure (skipped without).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
if [ -z "${DSYNC_BIN:-}" ]; then cargo build -q --release --bin dsync; DSYNC_BIN=target/release/dsync; fi
dsync=$(realpath "$DSYNC_BIN")
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
secret=bench-secret-0123456789
cd "$work"

ready() { for _ in $(seq 200); do [ -s "$1" ] && break; sleep 0.05; done; head -n1 "$1"; }
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]] or "")' "$1" "$2"; }

"$dsync" --json listen --port 0 --ui --store store --secret "$secret" --compact >listen.ndjson 2>listen.err &
pids+=($!)
line=$(ready listen.ndjson)
url=$(field "$line" url); ui=$(field "$line" ui_url)

# N realistic bodies: every documented code, many seeds.
per=$("$dsync" send-test --print --all --seed 1 | wc -l)
seeds=$(( (n + per - 1) / per ))
for s in $(seq "$seeds"); do "$dsync" send-test --print --all --seed "$s"; done | head -n "$n" >bodies.ndjson
start=$(date +%s.%N)
"$dsync" -q replay bodies.ndjson --url "$url" --secret "$secret" --concurrency 16 >/dev/null
echo "filled: $(wc -l <bodies.ndjson) captures in $(python3 -c "print(round($(date +%s.%N)-$start,2))") s"

token=$(curl -s "$ui" | sed -n 's/.*name="dsync-token" content="\([^"]*\)".*/\1/p')
time_get() { # label path
  local best=999
  for _ in 1 2 3 4 5; do
    t=$(curl -s -o /dev/null -w '%{time_total}' -H "X-Dsync-Token: $token" "${ui}api/$2")
    best=$(python3 -c "print(min($best, $t))")
  done
  printf '%-34s %8.1f ms (best of 5)\n' "$1" "$(python3 -c "print($best*1000)")"
}
first=$(curl -s -H "X-Dsync-Token: $token" "${ui}api/captures?limit=1")
id=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["items"][0]["id"]); print(d["total"], file=sys.stderr)' "$first" 2>total.txt)
echo "store holds $(cat total.txt) captures"
time_get "list: first page (100) + counts" "captures?limit=100"
time_get "list: code filter" "captures?limit=100&code=dir_sync.group.*"
time_get "list: full-text search" "captures?limit=100&q=shark"
time_get "detail: one capture" "captures/$id"

driver=$(command -v chromedriver || true); chrome=$(command -v chromium || true)
if [ -z "$driver" ] || [ -z "$chrome" ]; then echo "page: skipped (no chromium / chromedriver)"; exit 0; fi
python3 - "$chrome" "$driver" "$work" "$ui" <<'PY'
import json, socket, subprocess, sys, time, urllib.request
chrome, driver, work, url = sys.argv[1:]
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
proc = subprocess.Popen([driver, f"--port={port}"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    for line in proc.stdout:
        if "started successfully" in line: break
    base = f"http://127.0.0.1:{port}"
    def call(method, path, body=None):
        req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        return json.load(urllib.request.urlopen(req, timeout=60))["value"]
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--window-size=1400,900", f"--user-data-dir={work}/profile"]
    sid = call("POST", "/session", {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {"binary": chrome, "args": args}}}})["sessionId"]
    try:
        times = []
        for _ in range(3):
            call("POST", f"/session/{sid}/url", {"url": "about:blank"})
            t0 = time.monotonic()
            call("POST", f"/session/{sid}/url", {"url": url})
            while not call("POST", f"/session/{sid}/execute/sync", {"script": "return /of [0-9,]+ shown/.test(document.getElementById('count').textContent) && document.querySelectorAll('#list li').length > 0", "args": []}):
                time.sleep(0.01)
            times.append((time.monotonic() - t0) * 1000)
            rows = call("POST", f"/session/{sid}/execute/sync", {"script": "return document.querySelectorAll('#list li').length", "args": []})
        count = call("POST", f"/session/{sid}/execute/sync", {"script": "return document.getElementById('count').textContent", "args": []})
        print(f"{'page: navigation to list on screen':34} {min(times):8.1f} ms (best of 3; {rows} rows rendered, '{count}')")
    finally:
        call("DELETE", f"/session/{sid}")
finally:
    proc.kill()
PY
