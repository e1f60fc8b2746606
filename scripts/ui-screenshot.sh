#!/usr/bin/env bash
# The README's screenshot of the inspector, made by a script, not by hand:
# a listener with --ui, a handful of realistic signed events (one forged),
# the user update opened, photographed by headless chromium.
#
#   scripts/ui-screenshot.sh [OUT.png] [light|dark]   (default docs/inspector.png light)
#
# Needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver)
# and python3. Only loopback is used.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/inspector.png}
scheme=${2:-light}
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
driver=$(command -v chromedriver || true)
[ -n "$chrome" ] && [ -n "$driver" ] || { echo "error: chromium and chromedriver are needed (Debian: apt-get install chromium chromium-driver)" >&2; exit 2; }

cargo build -q --bin dsync
dsync=$PWD/target/debug/dsync
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
secret=screenshot-secret-0123456789

cd "$work"
"$dsync" --json listen --port 0 --ui --store store --secret "$secret" --compact >out.ndjson 2>err.log &
pid=$!
for _ in $(seq 100); do [ -s out.ndjson ] && break; sleep 0.1; done
ready=$(head -n1 out.ndjson)
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]] or "")' "$1" "$2"; }
url=$(field "$ready" url)
ui=$(field "$ready" ui_url)
[ -n "$ui" ] || { echo "error: no ui_url in the ready line: $ready" >&2; cat err.log >&2; exit 1; }

seed=11
for code in dir_sync.user.provision.success dir_sync.group.provision.success \
            dir_sync.group.users_added.success dir_sync.user.update.success \
            dir_sync.group.users_removed.success dir_sync.user.deprovision.success \
            dir_sync.user.update.success; do
  "$dsync" send-test -q --url "$url" --secret "$secret" --event "$code" --seed $((seed++)) >/dev/null
done
# One whose signature does not verify, to show the badge.
"$dsync" send-test -q --url "$url" --secret not-the-right-secret --event dir_sync.user.update.success --seed 40 >/dev/null

# Open the first user update.
for _ in $(seq 50); do [ "$(grep -c '"type":"event"' out.ndjson)" -ge 8 ] && break; sleep 0.1; done
id=$(grep '"code":"dir_sync.user.update.success"' out.ndjson | head -n1 | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["id"])')

cd - >/dev/null
mkdir -p "$(dirname "$out")"
# Drive the browser over WebDriver (as tests/ui.rs does): open the page, wait
# until the capture is shown, take the picture.
python3 - "$chrome" "$driver" "$work" "$ui#$id" "$out" "$scheme" <<'PY'
import base64, json, os, socket, subprocess, sys, time, urllib.request
chrome, driver, work, url, out, scheme = sys.argv[1:]
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
proc = subprocess.Popen([driver, f"--port={port}"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    for line in proc.stdout:
        if "started successfully" in line:
            break
    base = f"http://127.0.0.1:{port}"
    def call(method, path, body=None):
        req = urllib.request.Request(base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        return json.load(urllib.request.urlopen(req, timeout=60))["value"]
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", "--window-size=1400,900", f"--user-data-dir={work}/profile"]
    if scheme == "dark":
        args.append("--force-dark-mode")  # prefers-color-scheme: dark
    session = call("POST", "/session", {"capabilities": {"alwaysMatch": {
        "browserName": "chrome", "goog:chromeOptions": {"binary": chrome, "args": args}}}})["sessionId"]
    try:
        call("POST", f"/session/{session}/url", {"url": url})
        ready = "return !!document.querySelector('#detail h2') && document.querySelector('#live').dataset.state === 'live'"
        for _ in range(100):
            if call("POST", f"/session/{session}/execute/sync", {"script": ready, "args": []}):
                break
            time.sleep(0.1)
        else:
            sys.exit("the page never showed the capture")
        png = base64.b64decode(call("GET", f"/session/{session}/screenshot"))
        open(out, "wb").write(png)
    finally:
        call("DELETE", f"/session/{session}")
finally:
    proc.kill()
PY
echo "wrote $out ($ui#$id)" >&2
