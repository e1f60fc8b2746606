#!/usr/bin/env bash
# SCIM filter evaluation over N users (default 100,000), side by side, on the
# same users and filters: dsync's filter module (benches/scim_filter.rs,
# parse once, Filter::matches on every user) and the npm scim2-parse-filter
# package (parse once, its filter() predicate on every user). Prints the best
# full-scan time of each, the ratio, and the users each matched (they can
# differ: scim2-parse-filter compares strings case-sensitively and has no
# schema).
# Usage: benches/scim-filter-compare.sh [USERS]
#   needs node with `npm install -g scim2-parse-filter@0.2.10`
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
N="${1:-100000}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

SCIM_FILTER_USERS="$WORK/users.json" cargo bench --quiet --bench scim_filter -- "$N" > "$WORK/dsync.tsv"
head -1 "$WORK/dsync.tsv"

NODE_PATH="$(npm root -g)" node - "$WORK/users.json" "$WORK/dsync.tsv" <<'JS'
const fs = require("fs");
const { parse, filter } = require("scim2-parse-filter");
const users = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const rows = fs.readFileSync(process.argv[3], "utf8").split("\n")
  .map((l) => l.split("\t")).filter((c) => c.length === 4 && c[0] !== "filter");
console.log("| filter | dsync ms | scim2-parse-filter ms | ratio | matched (dsync / node) |");
console.log("|---|---|---|---|---|");
for (const [text, matched, ms] of rows) {
  const test = filter(parse(text));
  const scan = () => users.reduce((n, u) => n + (test(u) ? 1 : 0), 0);
  const theirs = scan();
  let best = Infinity, runs = 0;
  const started = process.hrtime.bigint();
  while (runs < 3 || (Number(process.hrtime.bigint() - started) < 1e9 && runs < 50)) {
    const t = process.hrtime.bigint();
    scan();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
    runs++;
  }
  const ratio = (best / Number(ms)).toFixed(1);
  console.log(`| \`${text}\` | ${ms} | ${best.toFixed(2)} | ${ratio}x | ${matched} / ${theirs} |`);
}
JS
tail -1 "$WORK/dsync.tsv"
