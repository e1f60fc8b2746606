#!/usr/bin/env bash
# Side by side: SCIM creates per second into `dsync directory serve` (each
# create commits the user, its signed event in the event store and its
# delivery in one transaction, and the event is delivered to a local no-op
# receiver) against the Python reference SCIM server scim2-server (in memory,
# no events), same wrk load. Then the scale check: USERS users and GROUPS
# groups (default 100,000 / 1,000): resident memory, restart time, and an
# indexed `userName eq` look-up beside a filter that must scan.
# Usage: benches/directory-compare.sh [SECONDS]    env: USERS, NGROUPS, CONNECTIONS
# Needs wrk, python3, curl; pip install scim2-server for the reference server.
set -euo pipefail
[ -n "${TRACE:-}" ] && set -x
cd "$(dirname "$0")/.."
SECS="${1:-10}"
USERS="${USERS:-100000}"
NGROUPS="${NGROUPS:-1000}"
CONN="${CONNECTIONS:-16}"
TOKEN=bench-token
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

cargo build --release --quiet --bin dsync
DSYNC="$PWD/target/release/dsync"

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
rps() { awk '/Requests\/sec/ {print $2}'; }

# A unique user per request.
cat >"$WORK/create.lua" <<'LUA'
local threads = {}
local n = 0
function setup(thread)
  n = n + 1
  thread:set("tid", n)
  table.insert(threads, thread)
end
function init(args)
  count = 0
  prefix = os.getenv("PREFIX") or "u"
  wrk.headers["Content-Type"] = "application/scim+json"
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "")
end
function request()
  count = count + 1
  local body = string.format('{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s%d-%d@bench.example","name":{"givenName":"Ada","familyName":"Lovelace"},"emails":[{"value":"%s%d-%d@bench.example","type":"work","primary":true}],"title":"Engineer","active":true}', prefix, tid, count, prefix, tid, count)
  return wrk.format("POST", nil, nil, body)
end
function response(status, headers, body)
  if status ~= 201 then io.stderr:write("status " .. status .. "\n") end
end
LUA

# The no-op receiver: dsync listen without saving.
RP=$(free_port)
"$DSYNC" listen --port "$RP" --no-save --quiet >/dev/null 2>&1 & PIDS+=($!)
wait_port "$RP"

start_directory() { # port, store, extra...
  local port=$1 store=$2; shift 2
  "$DSYNC" directory serve --port "$port" --store "$store" --token "$TOKEN" --secret benchsecret \
    --forward-to "http://127.0.0.1:$RP/" --quiet "$@" >/dev/null 2>&1 &
  DIR_PID=$!; PIDS+=($DIR_PID)
  wait_port "$port"
}
pending() { "$DSYNC" --json directory show --store "$1" | python3 -c 'import json,sys; o=dict(json.load(sys.stdin)["outbox"]); print(o.get("pending",0), o.get("delivered",0))'; }

if [ -z "${SCALE_ONLY:-}" ]; then
echo "== dsync directory serve: POST /Users, ${SECS}s, $CONN connections, events saved and delivered"
DP=$(free_port); start_directory "$DP" "$WORK/d1"
OUT=$(TOKEN=$TOKEN wrk -t2 -c"$CONN" -d"${SECS}s" --latency -s "$WORK/create.lua" "http://127.0.0.1:$DP/scim/v2/Users" 2>"$WORK/wrk.err")
echo "$OUT" | grep -E "Requests/sec|50%|99%|Non-2xx" || true
DSYNC_RPS=$(echo "$OUT" | rps)
echo "   non-201 answers: $(grep -c status "$WORK/wrk.err" || true)"
T0=$(date +%s.%N)
for _ in $(seq 600); do read -r P D < <(pending "$WORK/d1"); [ "$P" = 0 ] && break; sleep 0.1; done
T1=$(date +%s.%N)
echo "   deliveries: $D delivered, $P pending; outbox drained $(python3 -c "print(f'{$T1-$T0:.2f}')") s after the load stopped"
kill "$DIR_PID"; wait "$DIR_PID" 2>/dev/null || true

echo "== scim2-server (Python reference, in memory, no events): same load"
if command -v scim2-server >/dev/null; then
  SP=$(free_port)
  scim2-server --port "$SP" --bearer-token "$TOKEN" >/dev/null 2>&1 & PIDS+=($!)
  wait_port "$SP"
  OUT=$(TOKEN=$TOKEN wrk -t2 -c"$CONN" -d"${SECS}s" --latency -s "$WORK/create.lua" "http://127.0.0.1:$SP/Users" 2>"$WORK/wrk2.err")
  echo "$OUT" | grep -E "Requests/sec|50%|99%|Non-2xx" || true
  REF_RPS=$(echo "$OUT" | rps)
  echo "   non-201 answers: $(grep -c status "$WORK/wrk2.err" || true)"
  kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
  python3 -c "print(f'   ratio: dsync directory {$DSYNC_RPS/$REF_RPS:.1f}x scim2-server ({$DSYNC_RPS:.0f} vs {$REF_RPS:.0f} creates/s)')"
else
  echo "   skipped: scim2-server not installed (pip install scim2-server)"
fi

fi

echo "== scale: $USERS users, $NGROUPS groups"
DP=$(free_port); start_directory "$DP" "$WORK/d2"
T0=$(date +%s.%N)
python3 - "$DP" "$TOKEN" "$USERS" <<'PY'
import http.client, json, sys, threading
port, token, users = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
h = {"Authorization": "Bearer " + token, "Content-Type": "application/scim+json"}
def worker(k, n):
    c = http.client.HTTPConnection("127.0.0.1", port)
    for i in range(k, users, n):
        body = json.dumps({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": f"s{i}@bench.example",
                           "name": {"givenName": "Ada", "familyName": "Lovelace"}, "title": "Engineer", "active": True})
        c.request("POST", "/scim/v2/Users", body=body, headers=h)
        r = c.getresponse(); r.read()
        assert r.status == 201, r.status
threads = [threading.Thread(target=worker, args=(k, 8)) for k in range(8)]
for t in threads: t.start()
for t in threads: t.join()
PY
T1=$(date +%s.%N)
python3 - "$DP" "$TOKEN" "$NGROUPS" <<'PY'
import http.client, json, sys
port, token, groups = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
c = http.client.HTTPConnection("127.0.0.1", port)
h = {"Authorization": "Bearer " + token, "Content-Type": "application/scim+json"}
ids, start = [], 1
while True:
    c.request("GET", f"/scim/v2/Users?startIndex={start}&count=1000&attributes=id", headers=h)
    page = json.loads(c.getresponse().read())
    ids += [r["id"] for r in page["Resources"]]
    start += 1000
    if start > page["totalResults"]:
        break
size = max(1, len(ids) // max(groups, 1))
for g in range(groups):
    members = [{"value": i} for i in ids[g * size:(g + 1) * size]]
    body = json.dumps({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": f"Group {g}", "members": members})
    c.request("POST", "/scim/v2/Groups", body=body, headers=h)
    r = c.getresponse(); r.read()
    assert r.status == 201, r.status
print(f"   {len(ids)} users, {groups} groups of {size} members")
PY
echo "   users created in $(python3 -c "print(f'{$T1-$T0:.1f}')") s"
for _ in $(seq 1200); do read -r P D < <(pending "$WORK/d2"); [ "$P" = 0 ] && break; sleep 0.1; done
echo "   deliveries: $D delivered, $P pending"
echo "   resident memory: $(( $(ps -o rss= -p "$DIR_PID") / 1024 )) MB"
NAME="s$(( USERS / 2 ))@bench.example"
look() { curl -s -o /dev/null -w '%{time_total}' -G -H "Authorization: Bearer $TOKEN" --data-urlencode "filter=$1" "http://127.0.0.1:$DP/scim/v2/Users"; }
look "userName eq \"$NAME\"" >/dev/null
echo "   GET filter=userName eq (indexed): $(python3 -c "print(f'{$(look "userName eq \"$NAME\"")*1000:.1f}')") ms"
echo "   GET filter=title eq (scans):      $(python3 -c "print(f'{$(look "title eq \"nobody\"")*1000:.1f}')") ms"
kill "$DIR_PID"; wait "$DIR_PID" 2>/dev/null || true
DB_MB=$(( $(stat -c %s "$WORK/d2/dsync.db") / 1024 / 1024 ))
T0=$(date +%s.%N)
"$DSYNC" --json directory serve --port 0 --store "$WORK/d2" --token "$TOKEN" --quiet >"$WORK/ready.out" 2>/dev/null &
DIR_PID=$!; PIDS+=($DIR_PID)
until grep -q '"ready"' "$WORK/ready.out" 2>/dev/null; do sleep 0.005; done
T1=$(date +%s.%N)
echo "   restart to ready: $(python3 -c "print(f'{($T1-$T0)*1000:.0f}')") ms (database $DB_MB MB)"
kill "$DIR_PID"; wait "$DIR_PID" 2>/dev/null || true
