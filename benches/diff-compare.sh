#!/usr/bin/env bash
# Side by side, in one run: `dsync diff` on two snapshots of a group with
# N members (default 100,000, about 10 MB each; members reordered, 1%
# changed), against Python deepdiff (ignore_order=True, the setting that
# makes it match members by content) and npm json-diff. Prints wall time,
# peak memory (max RSS) and the ratios. Each tool is capped at CAP seconds.
# Usage: benches/diff-compare.sh [MEMBERS] [CAP_SECONDS]
#   needs python3 with pip, node with npm, GNU time (/usr/bin/time)
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
N="${1:-100000}"
CAP="${2:-120}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet --bin dsync
DSYNC="$PWD/target/release/dsync"

python3 - "$N" "$WORK" <<'PY'
import json, random, sys, uuid
n, work = int(sys.argv[1]), sys.argv[2]
rng = random.Random(42)
members = [{"id": str(uuid.UUID(int=rng.getrandbits(128))),
            "email": f"user{i}@shark-academy.io",
            "display_name": f"User {i}", "active": True} for i in range(n)]
before = {"id": "group-1", "name": "Everyone", "members": members}
after_members = [dict(m) for m in members]
for m in rng.sample(after_members, n // 100):          # 1% changed
    m["display_name"] += " (renamed)"
rng.shuffle(after_members)                             # and reordered
after = {"id": "group-1", "name": "Everyone", "members": after_members}
for name, doc in (("before", before), ("after", after)):
    with open(f"{work}/{name}.json", "w") as f:
        json.dump(doc, f, separators=(",", ":"))
PY
SIZE=$(stat -c %s "$WORK/before.json")
echo "== two snapshots of a group with $N members: $((SIZE / 1000)) kB each, reordered, 1% changed"

# run NAME CMD... : prints "NAME  seconds  max_rss_MB" (or "NAME  >CAP s") and records it.
declare -A SECS RSS
run() {
  local name=$1; shift
  local start=$EPOCHREALTIME   # wall time to the microsecond (GNU time rounds to 10 ms)
  if /usr/bin/time -f "%M" -o "$WORK/time" timeout "$CAP" "$@" >"$WORK/out.$name" 2>"$WORK/err.$name"; then :; fi
  local end=$EPOCHREALTIME
  if grep -q "Command exited with non-zero status 124" "$WORK/time"; then
    printf '%-28s  > %s s (stopped)\n' "$name" "$CAP"; return
  fi
  local kb; kb=$(tail -n1 "$WORK/time")
  SECS[$name]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'); RSS[$name]=$((kb / 1024))
  printf '%-28s  %7.3f s  %6d MB max RSS\n' "$name" "${SECS[$name]}" "${RSS[$name]}"
}

run "dsync diff --stat" "$DSYNC" diff --exit-zero --stat "$WORK/before.json" "$WORK/after.json"
echo "   says: $(cat "$WORK/out.dsync diff --stat")"
run "dsync diff (full output)" "$DSYNC" diff --exit-zero --color never "$WORK/before.json" "$WORK/after.json"
run "dsync diff --format patch" "$DSYNC" diff --exit-zero --format patch "$WORK/before.json" "$WORK/after.json"

python3 -m pip install --quiet --disable-pip-version-check deepdiff >/dev/null 2>&1 || true
cat >"$WORK/deep.py" <<'PY'
import json, sys
from deepdiff import DeepDiff
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
d = DeepDiff(a, b, ignore_order=True)
print(len(d.get("values_changed", {})), "values changed")
PY
if python3 -c "import deepdiff" 2>/dev/null; then
  run "deepdiff (ignore_order)" python3 "$WORK/deep.py" "$WORK/before.json" "$WORK/after.json"
else
  echo "deepdiff: not installed (python3 -m pip install deepdiff)"
fi

(cd "$WORK" && npm init -y >/dev/null 2>&1 && npm install --silent --no-audit --no-fund json-diff@1 >/dev/null 2>&1) || true
if [ -x "$WORK/node_modules/.bin/json-diff" ]; then
  run "json-diff (npm)" "$WORK/node_modules/.bin/json-diff" "$WORK/before.json" "$WORK/after.json"
else
  echo "json-diff: could not be installed with npm"
fi

echo "== ratios (other tool's time / dsync diff --stat's time)"
base=${SECS["dsync diff --stat"]}
for name in "deepdiff (ignore_order)" "json-diff (npm)"; do
  if [ -n "${SECS[$name]:-}" ]; then
    awk -v o="${SECS[$name]}" -v d="$base" -v n="$name" 'BEGIN { printf "%-28s  %.1fx slower\n", n, (d > 0 ? o / d : 0) }'
  else
    awk -v c="$CAP" -v d="$base" -v n="$name" 'BEGIN { printf "%-28s  more than %.0fx slower (stopped at the cap)\n", n, (d > 0 ? c / d : 0) }'
  fi
done
awk -v r="${RSS["dsync diff --stat"]}" -v s="$SIZE" 'BEGIN { printf "dsync peak memory / size of both inputs: %.1fx\n", r * 1048576 / (2 * s) }'
